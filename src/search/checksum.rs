//! Whether an index's files are whole, read the way tantivy writes them but without mapping
//! them: tantivy's own check maps each file into the process while it reads it, and the
//! opening of a 1,000,000-case store counted 10–35 MB more for it than it does read in
//! blocks.
//!
//! Every file tantivy writes ends with a footer: a JSON body holding the CRC-32 of the bytes
//! before it, the body's length (u32 LE) and a magic number (u32 LE).

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use tantivy::Index;

const FOOTER_MAGIC: u32 = 1337;
/// Tantivy's own bound on a footer's body.
const FOOTER_MAX_LEN: u64 = 50_000;

/// True when every file of every searchable segment holds its checksum; a file that cannot
/// be read, or a footer that does not parse, counts as damage.
pub fn holds(index: &Index, dir: &Path) -> bool {
    let Ok(metas) = index.searchable_segment_metas() else {
        return false;
    };
    // Tantivy lists every kind of file a segment may have (no deletes: no .del file); the
    // ones it wrote are managed, and one of those missing is damage (a segment without its
    // positions opens, and then every phrase fails).
    let managed = index.directory().list_managed_files();
    metas
        .iter()
        .flat_map(|m| m.list_files())
        .filter(|rel| managed.contains(rel))
        .all(|rel| file_holds(&dir.join(rel)).unwrap_or(false))
}

fn file_holds(path: &Path) -> std::io::Result<bool> {
    let mut f = File::open(path)?;
    let len = f.metadata()?.len();
    if len < 8 {
        return Ok(false);
    }
    let mut tail = [0u8; 8];
    f.seek(SeekFrom::Start(len - 8))?;
    f.read_exact(&mut tail)?;
    let footer_len = u64::from(u32::from_le_bytes(tail[..4].try_into().expect("4 bytes")));
    let magic = u32::from_le_bytes(tail[4..].try_into().expect("4 bytes"));
    if magic != FOOTER_MAGIC || footer_len > FOOTER_MAX_LEN || len < 8 + footer_len {
        return Ok(false);
    }
    let body_len = len - 8 - footer_len;
    let mut footer = vec![0u8; footer_len as usize];
    f.seek(SeekFrom::Start(body_len))?;
    f.read_exact(&mut footer)?;
    let Some(crc) = serde_json::from_slice::<serde_json::Value>(&footer)
        .ok()
        .and_then(|v| v.get("crc")?.as_u64())
    else {
        return Ok(false);
    };
    f.seek(SeekFrom::Start(0))?;
    let mut hasher = crc32fast::Hasher::new();
    let mut block = vec![0u8; 1 << 20];
    let mut left = body_len;
    while left > 0 {
        let want = left.min(block.len() as u64) as usize;
        f.read_exact(&mut block[..want])?;
        hasher.update(&block[..want]);
        left -= want as u64;
    }
    Ok(u64::from(hasher.finalize()) == crc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::doc;
    use tantivy::schema::{Schema, STORED, TEXT};

    /// An index of one segment in `dir`.
    fn index(dir: &Path) -> Index {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT | STORED);
        let index = Index::create_in_dir(dir, schema.build()).unwrap();
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for i in 0..200 {
            w.add_document(doc!(body => format!("nyretransplantation {i} og min familie")))
                .unwrap();
        }
        w.commit().unwrap();
        index
    }

    #[test]
    fn holds_for_a_whole_index_and_not_for_a_flipped_cut_or_missing_file() {
        let dir = tempfile::tempdir().unwrap();
        let index = index(dir.path());
        assert!(index.validate_checksum().unwrap().is_empty());
        assert!(holds(&index, dir.path()));

        // One flipped byte in each file in turn, then the file cut short, then one gone.
        let files: Vec<_> = index
            .searchable_segment_metas()
            .unwrap()
            .iter()
            .flat_map(|m| m.list_files())
            .map(|rel| dir.path().join(rel))
            .filter(|p| p.exists())
            .collect();
        assert!(files.len() >= 4, "{files:?}");
        for path in &files {
            let good = std::fs::read(path).unwrap();
            let mut bad = good.clone();
            bad[good.len() / 3] ^= 0x10;
            std::fs::write(path, &bad).unwrap();
            assert!(!holds(&index, dir.path()), "{} flipped", path.display());
            std::fs::write(path, &bad[..good.len() - 3]).unwrap();
            assert!(!holds(&index, dir.path()), "{} cut short", path.display());
            std::fs::write(path, &good).unwrap();
            assert!(holds(&index, dir.path()));
        }
        let positions = files
            .iter()
            .find(|p| p.extension().is_some_and(|x| x == "pos"))
            .expect("a positions file");
        std::fs::remove_file(positions).unwrap();
        assert!(!holds(&index, dir.path()), "a missing positions file");
    }
}
