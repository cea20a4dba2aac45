//! The server's frame decoder: any byte stream is read as frames within the limit, or refused.
#![no_main]
use libfuzzer_sys::fuzz_target;
use triage::server::protocol::{self, Call, Hello, ServerMessage};

fuzz_target!(|data: &[u8]| {
    let limit = 16 * 1024 * 1024;
    let mut stream = data;
    while let Ok(Some(body)) = protocol::read_frame(&mut stream, limit) {
        assert!(body.len() <= limit);
        let _ = protocol::decode::<Hello>(&body);
        let _ = protocol::decode::<Call>(&body);
        let _ = protocol::decode::<ServerMessage>(&body);
    }
});
