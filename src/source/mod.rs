//! Reading copy from disk or standard input and turning its bytes into text.
//!
//! [`decode`] picks an encoding (forced label, byte-order mark, HTML `<meta
//! charset>`, valid UTF-8, then a statistical guess) and decodes the bytes
//! to UTF-8. [`LineIndex`] turns byte offsets of that text into 1-based
//! line and character-column positions.

mod decode;
mod lines;

pub use decode::{decode, encoding_for_label, DecodeError, Decoded};
pub use lines::{lines_inclusive, LineIndex, Position};
