//! A TCP listener that can be closed synchronously, from `Drop`: closing it releases the port
//! at once and makes every connection it accepted fail its next read or write, so no request
//! is answered after shutdown, not even on a pooled keep-alive connection.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// The shared switch of a [`GatedListener`] and its connections.
#[derive(Debug)]
pub(crate) struct Gate {
    closed: AtomicBool,
    listener: Mutex<Option<TcpListener>>,
    addr: SocketAddr,
}

impl Gate {
    pub(crate) fn new(listener: TcpListener) -> io::Result<Arc<Self>> {
        Ok(Arc::new(Self {
            closed: AtomicBool::new(false),
            addr: listener.local_addr()?,
            listener: Mutex::new(Some(listener)),
        }))
    }

    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Closes the listening socket now and fails all accepted connections from here on.
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        drop(
            self.listener
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take(),
        );
    }

    fn check(&self) -> io::Result<()> {
        if self.closed.load(Ordering::SeqCst) {
            Err(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "local Lambda endpoint shut down",
            ))
        } else {
            Ok(())
        }
    }

    fn poll_accept(
        &self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<io::Result<(TcpStream, SocketAddr)>>> {
        let listener = self.listener.lock().unwrap_or_else(PoisonError::into_inner);
        match listener.as_ref() {
            Some(listener) => listener.poll_accept(cx).map(Some),
            None => Poll::Ready(None),
        }
    }
}

/// The listener handed to `axum::serve`.
#[derive(Debug)]
pub(crate) struct GatedListener(pub(crate) Arc<Gate>);

impl axum::serve::Listener for GatedListener {
    type Io = GatedStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (GatedStream, SocketAddr) {
        loop {
            match std::future::poll_fn(|cx| self.0.poll_accept(cx)).await {
                Some(Ok((stream, addr))) => {
                    let gate = self.0.clone();
                    return (GatedStream { stream, gate }, addr);
                }
                Some(Err(error)) => {
                    tracing::debug!(%error, "local Lambda: accept failed");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                // Closed: the graceful-shutdown signal ends the server loop.
                None => std::future::pending::<()>().await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        Ok(self.0.addr)
    }
}

/// An accepted connection that fails once its gate is closed.
#[derive(Debug)]
pub(crate) struct GatedStream {
    stream: TcpStream,
    gate: Arc<Gate>,
}

impl AsyncRead for GatedStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.gate.check()?;
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for GatedStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.gate.check()?;
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
