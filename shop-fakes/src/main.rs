//! `shop-fakes [--addr 127.0.0.1:18090]`: serves the fakes until killed (the end-to-end
//! suite starts it; `POST /_fake/mode` switches how they answer). Prints its address first.

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let addr = match args.iter().position(|a| a == "--addr") {
        Some(i) => args.get(i + 1).cloned().unwrap_or_default(),
        None => "127.0.0.1:18090".to_owned(),
    };
    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("shop-fakes: cannot listen on {addr}: {e}");
            std::process::exit(1);
        }
    };
    // The address as bound (port 0 picks a free one): the first line of standard output.
    let bound = listener.local_addr().map_or(addr, |a| a.to_string());
    println!("http://{bound}");
    eprintln!("shop-fakes: Shopify, WooCommerce and an order service on http://{bound}");
    let shared = std::sync::Arc::new(shop_fakes::Shared::default());
    axum::serve(listener, shop_fakes::router(shared))
        .await
        .unwrap();
}
