pub mod readable;
pub mod writable;
