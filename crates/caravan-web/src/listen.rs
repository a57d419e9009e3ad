//! The server's listening socket, with room for a burst of new connections.

use std::io;
use tokio::net::{TcpListener, TcpSocket};

/// Connections the kernel may hold, handshake done, before the server accepts them (capped by
/// `net.core.somaxconn`, 4096 on current Linux). The standard library and tokio listen with
/// 128: when more buyers than that connect at once, as at the festival's midnight, the kernel
/// drops their handshakes and each one's connect is retried only after a second, then three.
/// Measured in `caravan bench checkout`: 1,024 buyers connecting at once overflowed the listen
/// queue about 7,000 times in one run.
pub const BACKLOG: u32 = 4096;

/// Listens on `addr` (`host:port`; the first address it resolves to that can be bound) with
/// [`BACKLOG`].
pub async fn listen(addr: &str) -> io::Result<TcpListener> {
    let mut last = None;
    for a in tokio::net::lookup_host(addr).await? {
        let socket = if a.is_ipv4() {
            TcpSocket::new_v4()?
        } else {
            TcpSocket::new_v6()?
        };
        socket.set_reuseaddr(true)?;
        match socket.bind(a) {
            Ok(()) => return socket.listen(BACKLOG),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| {
        io::Error::new(
            io::ErrorKind::AddrNotAvailable,
            format!("{addr} resolves to no address"),
        )
    }))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]
    use super::*;
    use std::time::Duration;

    /// A crowd connecting at once, none accepted yet, is held by the kernel: no handshake is
    /// dropped. (A dropped one is retried only after a full second, so every connect finishing
    /// well inside it means none was dropped; with the default backlog of 128, the ones past it
    /// wait that second.)
    #[tokio::test]
    async fn a_crowd_connecting_at_once_is_held_not_dropped() {
        let listener = listen("127.0.0.1:0").await.expect("listens");
        let addr = listener.local_addr().unwrap();
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..600 {
            set.spawn(async move {
                tokio::time::timeout(
                    Duration::from_millis(900),
                    tokio::net::TcpStream::connect(addr),
                )
                .await
            });
        }
        let mut held = Vec::new();
        while let Some(done) = set.join_next().await {
            let stream = done.unwrap().expect("connected before any retry").unwrap();
            held.push(stream);
        }
        assert_eq!(held.len(), 600);
        let (_accepted, from) = listener.accept().await.unwrap();
        assert!(held.iter().any(|s| s.local_addr().unwrap() == from));
    }

    /// A port another listener holds is refused, not shared.
    #[tokio::test]
    async fn a_port_in_use_is_an_error() {
        let taken = listen("127.0.0.1:0").await.unwrap();
        let addr = taken.local_addr().unwrap().to_string();
        let err = listen(&addr).await.expect_err("the port is taken");
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
    }
}
