//! Writing the package's XML: escaping, MD5 while writing, and the per-table schema.

use super::tables::Table;
use md5::{Digest, Md5};
use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// The namespace of the archives' index files.
pub const DIARK_NS: &str = "http://www.sa.dk/xmlns/diark/1.0";
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// The namespace of table `n` (1-based), as the archives name it.
pub fn table_ns(n: usize) -> String {
    format!("http://www.sa.dk/xmlns/siard/1.0/schema0/table{n}.xsd")
}

/// Text for element content or an attribute value. Characters XML 1.0 cannot carry are dropped
/// (the sanitiser already turned controls into placeholders; this is the last guard).
pub fn esc(s: &str) -> Cow<'_, str> {
    if !s
        .chars()
        .any(|c| matches!(c, '<' | '>' | '&' | '"') || !xml_char(c))
    {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c if xml_char(c) => out.push(c),
            _ => {}
        }
    }
    Cow::Owned(out)
}

/// A character XML 1.0 allows (a CR is left out: parsers would turn it into a line feed).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// A file being written whose MD5 is computed on the way.
pub struct HashedFile {
    out: BufWriter<File>,
    md5: Md5,
    pub bytes: u64,
}

impl HashedFile {
    pub fn create(path: &Path) -> io::Result<HashedFile> {
        Ok(HashedFile {
            out: BufWriter::with_capacity(1 << 16, File::create(path)?),
            md5: Md5::new(),
            bytes: 0,
        })
    }

    /// Flushes to the file; returns the MD5 in upper-case hex. (The package is synced to disk
    /// once, as a whole, before it is renamed: see [`sync_filesystem`].)
    pub fn finish(mut self) -> io::Result<String> {
        self.out.flush()?;
        Ok(hex(&self.md5.finalize()))
    }
}

impl Write for HashedFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.out.write(buf)?;
        self.md5.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Writes everything on the file system holding `path` to disk: one call for the whole package
/// instead of an fsync per file.
pub fn sync_filesystem(path: &Path) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let dir = File::open(path)?;
    // SAFETY: syncfs only reads the descriptor, which `dir` keeps open for the call.
    if unsafe { libc::syncfs(dir.as_raw_fd()) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

/// The MD5 of a file on disk, read in blocks.
pub fn md5_file(path: &Path) -> io::Result<String> {
    let mut f = File::open(path)?;
    let mut md5 = Md5::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = io::Read::read(&mut f, &mut buf)?;
        if n == 0 {
            break;
        }
        md5.update(&buf[..n]);
    }
    Ok(hex(&md5.finalize()))
}

/// The schema of table `n`: a sequence of rows, each with columns c1…cK of the declared types.
/// `archive verify` rebuilds it from tableIndex.xml and compares, so both sides use this.
pub fn table_xsd(n: usize, table: &Table) -> String {
    table_xsd_from(n, table.columns.iter().map(|c| (c.ty.xsd(), c.nullable)))
}

pub fn table_xsd_from<'a>(n: usize, columns: impl Iterator<Item = (&'a str, bool)>) -> String {
    let ns = table_ns(n);
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" xmlns=\"{ns}\" \
         targetNamespace=\"{ns}\" elementFormDefault=\"qualified\" attributeFormDefault=\"unqualified\">\n\
         \x20 <xs:element name=\"table\">\n\
         \x20   <xs:complexType>\n\
         \x20     <xs:sequence>\n\
         \x20       <xs:element name=\"row\" type=\"rowType\" minOccurs=\"0\" maxOccurs=\"unbounded\"/>\n\
         \x20     </xs:sequence>\n\
         \x20   </xs:complexType>\n\
         \x20 </xs:element>\n\
         \x20 <xs:complexType name=\"rowType\">\n\
         \x20   <xs:sequence>\n"
    );
    for (i, (ty, nullable)) in columns.enumerate() {
        let nil = if nullable { " nillable=\"true\"" } else { "" };
        s.push_str(&format!(
            "      <xs:element name=\"c{}\" type=\"{ty}\"{nil}/>\n",
            i + 1
        ));
    }
    s.push_str("    </xs:sequence>\n  </xs:complexType>\n</xs:schema>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_what_xml_cannot_carry() {
        assert_eq!(esc("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
        assert_eq!(esc("x\u{1}y\rz\u{FFFE}"), "xyz");
        assert!(matches!(esc("æøå ÆØÅ"), Cow::Borrowed(_)));
    }

    #[test]
    fn md5_of_a_known_string() {
        let mut h = Md5::new();
        h.update(b"abc");
        assert_eq!(hex(&h.finalize()), "900150983CD24FB0D6963F7D28E17F72");
    }
}
