//! A loopback TCP proxy in front of a real endpoint that can lose responses: the request
//! reaches the endpoint (the function runs), and the proxy then closes the caller's
//! connection without a byte of the answer — a reset after the request was written.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

pub struct LossyProxy {
    pub url: String,
    requests: Arc<AtomicUsize>,
    to_lose: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl LossyProxy {
    /// Proxies to `upstream` (`127.0.0.1:PORT`).
    pub async fn start(upstream: std::net::SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let to_lose = Arc::new(AtomicUsize::new(0));
        let (counter, losing) = (requests.clone(), to_lose.clone());
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (counter, losing) = (counter.clone(), losing.clone());
                tokio::spawn(async move { serve(stream, upstream, counter, losing).await });
            }
        });
        Self {
            url,
            requests,
            to_lose,
            task,
        }
    }

    /// Loses the answers to the next `n` requests.
    pub fn lose_next(&self, n: usize) {
        self.to_lose.store(n, Ordering::SeqCst);
    }

    /// How many complete requests were forwarded.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for LossyProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut client: TcpStream,
    upstream: std::net::SocketAddr,
    requests: Arc<AtomicUsize>,
    to_lose: Arc<AtomicUsize>,
) {
    let Ok(mut server) = TcpStream::connect(upstream).await else {
        return;
    };
    loop {
        let Some(request) = super::raw::read_message(&mut client).await else {
            return;
        };
        requests.fetch_add(1, Ordering::SeqCst);
        if server.write_all(&request).await.is_err() {
            return;
        }
        let Some(response) = super::raw::read_message(&mut server).await else {
            return;
        };
        let lose = to_lose
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        if lose {
            // The function ran and answered; the caller never hears of it.
            return;
        }
        if client.write_all(&response).await.is_err() {
            return;
        }
    }
}
