-- Orders as a shopper may look them up: status, items and shipments.
-- Times are Unix milliseconds (INTEGER), money is integer minor units (cents), so the
-- same queries run unchanged on SQLite and PostgreSQL through sqlx's Any driver.
CREATE TABLE orders (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    number             TEXT    NOT NULL UNIQUE,
    email              TEXT    NOT NULL,
    status             TEXT    NOT NULL CHECK (status IN
                           ('processing', 'shipped', 'delivered', 'cancelled', 'refunded')),
    placed_at          INTEGER NOT NULL,
    estimated_delivery INTEGER,
    currency           TEXT    NOT NULL,
    total_cents        INTEGER NOT NULL
);

CREATE TABLE order_items (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id         INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    sku              TEXT    NOT NULL,
    name             TEXT    NOT NULL,
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents INTEGER NOT NULL
);
CREATE INDEX order_items_order ON order_items (order_id);

CREATE TABLE shipments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id        INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    carrier         TEXT    NOT NULL,
    tracking_number TEXT    NOT NULL,
    tracking_url    TEXT,
    shipped_at      INTEGER NOT NULL,
    delivered_at    INTEGER
);
CREATE INDEX shipments_order ON shipments (order_id);
