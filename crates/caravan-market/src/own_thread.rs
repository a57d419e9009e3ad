//! Work that must not wait its turn on the shared runtime: at peak that runtime has hundreds of
//! request tasks ready, and a task with many short awaits (the order writer's statements, a
//! read's row handovers) would queue behind them at each one. Such work gets a thread of its
//! own with a single-threaded runtime.

use std::future::Future;

/// Runs `work` to its end on a new thread named `name`, on its own runtime. A thread or
/// runtime that cannot start is logged; `work` is then dropped, which its callers notice as
/// a closed channel.
pub(crate) fn spawn<F>(name: &str, work: F)
where
    F: Future<Output = ()> + Send + 'static,
{
    let what = name.to_owned();
    let spawned = std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => rt.block_on(work),
                Err(e) => tracing::error!(error = %e, thread = %what, "cannot start a runtime"),
            }
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, thread = %name, "cannot start a thread");
    }
}
