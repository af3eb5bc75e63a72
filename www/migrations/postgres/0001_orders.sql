-- Orders as a shopper may look them up: status, items and shipments.
-- Times are Unix milliseconds (BIGINT), money is integer minor units (cents), so the
-- same queries run unchanged on SQLite and PostgreSQL through sqlx's Any driver.
CREATE TABLE orders (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number             TEXT   NOT NULL UNIQUE,
    email              TEXT   NOT NULL,
    status             TEXT   NOT NULL CHECK (status IN
                           ('processing', 'shipped', 'delivered', 'cancelled', 'refunded')),
    placed_at          BIGINT NOT NULL,
    estimated_delivery BIGINT,
    currency           TEXT   NOT NULL,
    total_cents        BIGINT NOT NULL
);

CREATE TABLE order_items (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id         BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    sku              TEXT   NOT NULL,
    name             TEXT   NOT NULL,
    quantity         BIGINT NOT NULL CHECK (quantity > 0),
    unit_price_cents BIGINT NOT NULL
);
CREATE INDEX order_items_order ON order_items (order_id);

CREATE TABLE shipments (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id        BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    carrier         TEXT   NOT NULL,
    tracking_number TEXT   NOT NULL,
    tracking_url    TEXT,
    shipped_at      BIGINT NOT NULL,
    delivered_at    BIGINT
);
CREATE INDEX shipments_order ON shipments (order_id);
