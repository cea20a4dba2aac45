//! Who is at the keyboard: the operating-system login, never what a client claims.

/// The login name of the process's real user.
pub fn os_login() -> Result<String, String> {
    login_of(unsafe { libc::getuid() })
}

/// The login name of a numeric user id (also used for a socket peer's credentials).
pub fn login_of(uid: u32) -> Result<String, String> {
    let mut buf = vec![0u8; 4096];
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: getpwuid_r writes into our buffers only and tells us through `result`.
    let rc = unsafe {
        libc::getpwuid_r(
            uid,
            &mut pwd,
            buf.as_mut_ptr().cast(),
            buf.len(),
            &mut result,
        )
    };
    if rc != 0 || result.is_null() {
        return Err(format!(
            "user id {uid} has no login name in the password database"
        ));
    }
    // SAFETY: on success pw_name points into `buf` as a NUL-terminated string.
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    Ok(name.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_current_user_has_a_login() {
        let login = super::os_login().unwrap();
        assert!(!login.is_empty());
        assert_eq!(super::login_of(unsafe { libc::getuid() }).unwrap(), login);
    }
}
