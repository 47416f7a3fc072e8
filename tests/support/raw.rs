//! A raw TCP server for faults that no well-behaved HTTP server produces: resets, truncated
//! bodies, stalls. It reads each request fully, then does what it was told.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What to do once a request has been read.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Close the connection without answering.
    Close,
    /// Write these bytes (a partial or complete response), then close.
    Write(Vec<u8>),
    /// Wait, then write these bytes and close.
    Delay(Duration, Vec<u8>),
    /// Write these bytes, then keep the connection open without a byte more for this long.
    Stall(Vec<u8>, Duration),
}

/// A loopback server answering every request with one fault.
pub struct RawServer {
    pub url: String,
    requests: Arc<AtomicUsize>,
    fault: Arc<Mutex<Fault>>,
    task: tokio::task::JoinHandle<()>,
}

impl RawServer {
    pub async fn start(fault: Fault) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let fault = Arc::new(Mutex::new(fault));
        let (counter, current) = (requests.clone(), fault.clone());
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let fault = current.clone();
                let counter = counter.clone();
                tokio::spawn(async move { serve(stream, fault, counter).await });
            }
        });
        Self {
            url,
            requests,
            fault,
            task,
        }
    }

    /// Answers the next requests with `fault`, and counts requests from zero again.
    pub fn reset(&self, fault: Fault) {
        *self.fault.lock().unwrap() = fault;
        self.requests.store(0, Ordering::SeqCst);
    }

    /// How many complete requests arrived.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut stream: TcpStream, fault: Arc<Mutex<Fault>>, requests: Arc<AtomicUsize>) {
    if read_message(&mut stream).await.is_none() {
        return;
    }
    requests.fetch_add(1, Ordering::SeqCst);
    let fault = fault.lock().unwrap().clone();
    let bytes = match &fault {
        Fault::Close => return,
        Fault::Write(bytes) => bytes,
        Fault::Delay(delay, bytes) => {
            tokio::time::sleep(*delay).await;
            bytes
        }
        Fault::Stall(bytes, stall) => {
            let _ = stream.write_all(bytes).await;
            tokio::time::sleep(*stall).await;
            return;
        }
    };
    let _ = stream.write_all(bytes).await;
    let _ = stream.shutdown().await;
}

/// One HTTP/1.1 message with a Content-Length body (or none), bytes as read.
pub async fn read_message(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    let header_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).to_ascii_lowercase();
    assert!(
        !head.contains("transfer-encoding: chunked"),
        "the proxy reads Content-Length bodies only"
    );
    let length = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    while buffer.len() < header_end + length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
    Some(buffer)
}

/// An HTTP/1.1 response with the given status line, headers and body (Content-Length set to
/// `declared_length`, which may differ from the body's length).
pub fn response(
    status: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    declared_length: usize,
) -> Vec<u8> {
    let mut out =
        format!("HTTP/1.1 {status}\r\ncontent-length: {declared_length}\r\nconnection: close\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}
