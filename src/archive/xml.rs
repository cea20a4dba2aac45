//! Writing the package's XML: escaping, MD5 while writing, and the per-table schema.

use super::tables::{Table, Value};
use chrono::{Datelike, Timelike};
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

/// Appends `<cN>value</cN>` for a value of a table row (escaped, in its XML Schema form) and
/// returns true; appends nothing and returns false for NULL. Writes into `out` without
/// allocating, so a large table costs no allocation per value.
pub fn push_value(out: &mut String, c: usize, v: &Value<'_>) -> bool {
    use std::fmt::Write as _;
    if let Value::Null = v {
        return false;
    }
    let _ = write!(out, "<c{c}>");
    match v {
        Value::Text(s) => out.push_str(&esc(s)),
        Value::Int(n) => {
            let _ = write!(out, "{n}");
        }
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Date(d) if (0..=9999).contains(&d.year()) => {
            let _ = write!(out, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
        }
        Value::Time(t) if (0..=9999).contains(&t.year()) => {
            let _ = write!(
                out,
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            );
        }
        // Years outside 0–9999 (never in a real record) take the general path.
        other => out.push_str(&esc(&other.lexical().unwrap_or_default())),
    }
    let _ = write!(out, "</c{c}>");
    true
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
    /// Bytes written when the disk was last asked to start writing the file out.
    kicked: u64,
}

/// How much a file grows between requests to start writing it out.
const KICK_BYTES: u64 = 8 << 20;

impl HashedFile {
    pub fn create(path: &Path) -> io::Result<HashedFile> {
        Ok(HashedFile {
            out: BufWriter::with_capacity(1 << 16, File::create(path)?),
            md5: Md5::new(),
            bytes: 0,
            kicked: 0,
        })
    }

    /// Flushes to the file; returns the MD5 in upper-case hex. (The package is synced to disk
    /// once, as a whole, before it is renamed: see [`sync_filesystem`].)
    pub fn finish(mut self) -> io::Result<String> {
        self.out.flush()?;
        start_writeback(self.out.get_ref());
        Ok(hex(&self.md5.finalize()))
    }
}

/// Asks the kernel to start writing a file's dirty pages out, without waiting: the package's
/// one sync at the end then finds most of it on disk already, instead of writing every
/// table then.
fn start_writeback(file: &File) {
    use std::os::fd::AsRawFd;
    // SAFETY: sync_file_range only reads the descriptor, open for the call. A failure only
    // leaves the work to the final sync.
    unsafe {
        libc::sync_file_range(file.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE);
    }
}

impl Write for HashedFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.out.write(buf)?;
        self.md5.update(&buf[..n]);
        self.bytes += n as u64;
        if self.bytes - self.kicked >= KICK_BYTES {
            self.kicked = self.bytes;
            start_writeback(self.out.get_ref());
        }
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
    fn values_are_written_as_their_lexical_form_escaped() {
        use chrono::TimeZone;
        let t = chrono::Utc.with_ymd_and_hms(2026, 3, 2, 9, 5, 7).unwrap()
            + chrono::Duration::milliseconds(250);
        let values = [
            Value::Int(-42),
            Value::Bool(false),
            Value::Text("a<b & æ".into()),
            Value::Date(chrono::NaiveDate::from_ymd_opt(987, 1, 31).unwrap()),
            Value::Time(t),
            Value::Time(chrono::Utc.with_ymd_and_hms(12000, 1, 1, 0, 0, 0).unwrap()),
        ];
        for v in &values {
            let mut out = String::from("x");
            assert!(push_value(&mut out, 12, v));
            let lexical = v.lexical().unwrap();
            assert_eq!(out, format!("x<c12>{}</c12>", esc(&lexical)), "{v:?}");
        }
        let mut out = String::new();
        assert!(!push_value(&mut out, 1, &Value::Null));
        assert_eq!(out, "");
    }

    #[test]
    fn md5_of_a_known_string() {
        let mut h = Md5::new();
        h.update(b"abc");
        assert_eq!(hex(&h.finalize()), "900150983CD24FB0D6963F7D28E17F72");
    }
}
