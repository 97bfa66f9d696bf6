pub mod writable;
