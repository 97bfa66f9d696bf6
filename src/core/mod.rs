#[cfg(test)]
mod props;
pub mod readable;
pub mod writable;
