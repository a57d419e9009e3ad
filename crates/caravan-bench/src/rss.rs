//! The peak resident memory that every benchmark line reports (`rss_mb=…`). The server runs in
//! the benchmark's own process, so this is the process's high-water mark (`VmHWM`), reset before
//! each measurement (`/proc/self/clear_refs`) so that each line reports its own run. On systems
//! without `/proc` it reports 0.

/// Starts a measurement: forgets the peak so far.
pub fn reset_peak() {
    // "5" resets the peak resident set size (Linux ≥ 4.0); failing only leaves it cumulative.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The peak resident memory since the last [`reset_peak`], in MiB.
pub fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_peak_is_read_and_grows_with_use() {
        super::reset_peak();
        let before = super::peak_mb();
        let big = vec![1u8; 64 << 20];
        let after = super::peak_mb();
        assert!(big.iter().all(|b| *b == 1));
        if std::path::Path::new("/proc/self/status").exists() {
            assert!(before > 0.0);
            assert!(after >= before + 60.0, "{before} → {after}");
        }
    }
}
