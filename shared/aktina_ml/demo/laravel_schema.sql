-- The Aktina Laravel app's tables that this service reads, with the app's column types and
-- enums (users, retailers, orders as created by its migrations). Used to build test and demo
-- databases; the service itself never creates or alters the app's tables.

CREATE TABLE users (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    email VARCHAR(255) NOT NULL,
    email_verified_at TIMESTAMP NULL DEFAULT NULL,
    password VARCHAR(255) NOT NULL,
    company_name VARCHAR(255) NULL,
    role VARCHAR(255) NOT NULL DEFAULT 'retailer',
    verified TINYINT(1) NOT NULL DEFAULT 0,
    address JSON NULL,
    remember_token VARCHAR(100) NULL,
    created_at TIMESTAMP NULL DEFAULT NULL,
    updated_at TIMESTAMP NULL DEFAULT NULL,
    UNIQUE KEY users_email_unique (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE retailers (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT UNSIGNED NOT NULL,
    male_female_ratio DECIMAL(5,2) NULL,
    city VARCHAR(255) NULL,
    urban_rural_classification ENUM('urban','suburban','rural') NULL,
    customer_age_class ENUM('child','teenager','youth','adult','senior') NULL,
    customer_income_bracket ENUM('low','medium','high') NULL,
    customer_education_level ENUM('low','mid','high') NULL,
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
    created_at TIMESTAMP NULL DEFAULT NULL,
    updated_at TIMESTAMP NULL DEFAULT NULL,
    CONSTRAINT retailers_user_id_foreign FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE orders (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    price DECIMAL(10,2) NOT NULL,
    items JSON NOT NULL,
    buyer_id BIGINT UNSIGNED NOT NULL,
    seller_id BIGINT UNSIGNED NOT NULL,
    status ENUM('pending','accepted','rejected','processing','partially_fulfilled','fulfilled',
                'shipped','in_transit','delivered','complete','cancelled','returned',
                'fulfillment_failed') NOT NULL DEFAULT 'pending',
    approved_at TIMESTAMP NULL DEFAULT NULL,
    approved_by BIGINT UNSIGNED NULL,
    rejection_reason TEXT NULL,
    fulfillment_started_at TIMESTAMP NULL DEFAULT NULL,
    shipped_at TIMESTAMP NULL DEFAULT NULL,
    delivered_at TIMESTAMP NULL DEFAULT NULL,
    completed_at TIMESTAMP NULL DEFAULT NULL,
    tracking_number VARCHAR(255) NULL,
    notes TEXT NULL,
    created_at TIMESTAMP NULL DEFAULT NULL,
    updated_at TIMESTAMP NULL DEFAULT NULL,
    CONSTRAINT orders_buyer_id_foreign FOREIGN KEY (buyer_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT orders_seller_id_foreign FOREIGN KEY (seller_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
