//! A .docx: the first byte chooses between the rest of the input as the
//! whole file (even) and the rest as word/document.xml inside a valid
//! archive, stored or deflated (odd). No panic, a refusal with a message
//! or a report whose spans are exact in the plain-text view.
#![no_main]

mod common;

use std::io::Write;

use iryolint::extract::InputFormat;
use libfuzzer_sys::fuzz_target;

fn archive(document: &[u8], deflated: bool) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let method = if deflated { zip::CompressionMethod::Deflated } else { zip::CompressionMethod::Stored };
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(b"<Types/>").unwrap();
    zip.start_file("word/document.xml", options).unwrap();
    zip.write_all(document).unwrap();
    zip.finish().unwrap();
    out.into_inner()
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let bytes = if mode % 2 == 0 { rest.to_vec() } else { archive(rest, mode & 2 != 0) };
    common::check_input("page.docx", &bytes, InputFormat::Docx);
});
