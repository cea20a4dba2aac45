//! A journal append that meets a full disk (here: a file-size limit on this process, so
//! this test runs alone in its own binary) leaves no half record behind: once there is
//! room again, later appends follow the last whole record and every record reads back.

use triage::store::journal::{scan, segments, Op, Writer};

fn op(key: u32) -> Op {
    Op {
        tree: 0,
        key: key.to_be_bytes().to_vec(),
        value: Some(vec![7; 10_000]),
    }
}

fn set_file_limit(bytes: u64) {
    let lim = libc::rlimit {
        rlim_cur: bytes,
        rlim_max: libc::RLIM_INFINITY,
    };
    // SAFETY: plain system calls on this process; SIGXFSZ ignored so a write over the
    // limit fails with EFBIG instead of ending the process.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        assert_eq!(libc::setrlimit(libc::RLIMIT_FSIZE, &lim), 0);
    }
}

#[test]
fn a_failed_append_leaves_no_half_record() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal");
    let (mut w, _) = Writer::open(&journal).unwrap();
    // Room for a few records of about 10 KB, then the limit falls inside one.
    set_file_limit(45_000);
    let mut written = Vec::new();
    let mut failed = false;
    for k in 0..10u32 {
        match w.append(vec![op(k)], true) {
            Ok(_) => written.push(k),
            Err(e) => {
                assert!(e.to_string().contains("File too large"), "{e}");
                failed = true;
                break;
            }
        }
    }
    assert!(failed, "the limit was met");
    assert!(!written.is_empty());
    let (_, seg) = segments(&journal).unwrap().pop().unwrap();
    let after_whole = std::fs::metadata(&seg).unwrap().len();
    set_file_limit(libc::RLIM_INFINITY);
    w.append(vec![op(100)], true).unwrap();
    written.push(100);
    drop(w);
    assert!(std::fs::metadata(&seg).unwrap().len() > after_whole);
    let mut keys = Vec::new();
    let end = scan(&journal, 0, |r| keys.push(r.ops[0].key.clone())).unwrap();
    assert!(end.torn.is_none(), "no half record anywhere");
    let want: Vec<Vec<u8>> = written.iter().map(|k| k.to_be_bytes().to_vec()).collect();
    assert_eq!(keys, want);
}
