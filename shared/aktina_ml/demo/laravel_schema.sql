-- The Aktina Laravel app's tables that this service reads, as its migrations leave them
-- (database/migrations of the app: users 0001_01_01_000000 + 2025_06_30_181404, retailers
-- 2025_06_20_143020 + 2025_06_30_155221, products 2025_06_20_124448 + 2025_07_10_155226 +
-- 2025_07_10_155727, orders 2025_06_21_041122 + 2025_07_02_125000 + 2025_07_10_144737),
-- columns in the order MySQL/MariaDB list them. The foreign key of
-- orders.assigned_warehouse_id to the app's warehouses table is left out (not created here).
-- Used to build test and demo databases; the service itself never creates or alters the
-- app's tables.

CREATE TABLE users (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    email VARCHAR(255) NOT NULL,
    email_verified_at TIMESTAMP NULL DEFAULT NULL,
    password VARCHAR(255) NOT NULL,
    verified TINYINT(1) NOT NULL DEFAULT 0,
    is_verified TINYINT(1) NOT NULL DEFAULT 0,
    company_name VARCHAR(255) NULL,
    address JSON NULL,
    remember_token VARCHAR(100) NULL,
    created_at TIMESTAMP NULL DEFAULT NULL,
    updated_at TIMESTAMP NULL DEFAULT NULL,
    role VARCHAR(255) NOT NULL,
    UNIQUE KEY users_email_unique (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE retailers (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT UNSIGNED NOT NULL,
    business_name VARCHAR(255) NULL,
    business_type VARCHAR(255) NULL,
    business_registration_number VARCHAR(255) NULL,
    tax_id VARCHAR(255) NULL,
    contact_person VARCHAR(255) NULL,
    phone VARCHAR(255) NULL,
    website VARCHAR(255) NULL,
    annual_revenue VARCHAR(255) NULL,
    employee_count VARCHAR(255) NULL,
    years_in_business INT NULL,
    primary_products TEXT NULL,
    target_market TEXT NULL,
    business_address JSON NULL,
    demographics_completed TINYINT(1) NOT NULL DEFAULT 0,
    male_female_ratio DECIMAL(5,2) NULL,
    city VARCHAR(255) NULL,
    urban_rural_classification ENUM('urban','suburban','rural') NULL,
    customer_age_class ENUM('child','teenager','youth','adult','senior') NULL,
    customer_income_bracket ENUM('low','medium','high') NULL,
    customer_education_level ENUM('low','mid','high') NULL,
    created_at TIMESTAMP NULL DEFAULT NULL,
    updated_at TIMESTAMP NULL DEFAULT NULL,
    CONSTRAINT retailers_user_id_foreign FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE products (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    model VARCHAR(255) NOT NULL,
    sku VARCHAR(255) NOT NULL,
    description TEXT NULL,
    msrp DECIMAL(10,2) NULL,
    category VARCHAR(255) NOT NULL DEFAULT 'smartphone',
    specifications JSON NULL,
    target_market VARCHAR(255) NULL,
    company_quantities JSON NULL,
    created_at TIMESTAMP NULL DEFAULT NULL,
    updated_at TIMESTAMP NULL DEFAULT NULL,
    UNIQUE KEY products_sku_unique (sku),
    KEY products_id_index (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE orders (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    price DECIMAL(10,2) NOT NULL,
    items JSON NOT NULL,
    status ENUM('pending','accepted','rejected','processing','partially_fulfilled','fulfilled',
                'shipped','in_transit','delivered','complete','cancelled','returned',
                'fulfillment_failed') NOT NULL DEFAULT 'pending',
    approved_at TIMESTAMP NULL DEFAULT NULL,
    rejected_at TIMESTAMP NULL DEFAULT NULL,
    rejection_reason TEXT NULL,
    fulfillment_started_at TIMESTAMP NULL DEFAULT NULL,
    shipped_at TIMESTAMP NULL DEFAULT NULL,
    completed_at TIMESTAMP NULL DEFAULT NULL,
    tracking_number VARCHAR(255) NULL,
    shipping_carrier VARCHAR(255) NULL,
    estimated_delivery TIMESTAMP NULL DEFAULT NULL,
    assigned_warehouse_id BIGINT UNSIGNED NULL,
    fulfillment_data JSON NULL,
    notes TEXT NULL,
    delivery_address TEXT NULL,
    expected_delivery_date TIMESTAMP NULL DEFAULT NULL,
    parent_order_id BIGINT UNSIGNED NULL,
    is_backorder TINYINT(1) NOT NULL DEFAULT 0,
    fulfillment_error TEXT NULL,
    fulfillment_failed_at TIMESTAMP NULL DEFAULT NULL,
    buyer_id BIGINT UNSIGNED NOT NULL,
    seller_id BIGINT UNSIGNED NOT NULL,
    approver_id BIGINT UNSIGNED NULL,
    created_at TIMESTAMP NULL DEFAULT NULL,
    updated_at TIMESTAMP NULL DEFAULT NULL,
    CONSTRAINT orders_buyer_id_foreign FOREIGN KEY (buyer_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT orders_seller_id_foreign FOREIGN KEY (seller_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT orders_approver_id_foreign FOREIGN KEY (approver_id) REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT orders_parent_order_id_foreign FOREIGN KEY (parent_order_id) REFERENCES orders (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
