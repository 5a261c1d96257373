"""laravel_schema.sql has the Aktina app's tables as its migrations leave them."""

from aktina_ml.demo.schema import table_columns
from aktina_ml.demo.spec import DemoSpec

# Transcribed from database/migrations of the app (winzerprince/Aktina, branch newlai):
# create_users_table + add_is_verified_column_to_users_table; create_retailers_table +
# add_demographics_fields_to_retailers_table; create_products_table +
# add_company_quantities_to_products_table (->after('target_market')) +
# remove_owner_id_from_products_table; create_orders_table + enhance_orders_table
# (->after() placements applied) + update_orders_status_enum.
APP_COLUMNS = {
    "users": (
        "id name email email_verified_at password verified is_verified company_name address "
        "remember_token created_at updated_at role"
    ),
    "retailers": (
        "id user_id business_name business_type business_registration_number tax_id "
        "contact_person phone website annual_revenue employee_count years_in_business "
        "primary_products target_market business_address demographics_completed "
        "male_female_ratio city urban_rural_classification customer_age_class "
        "customer_income_bracket customer_education_level created_at updated_at"
    ),
    "products": (
        "id name model sku description msrp category specifications target_market "
        "company_quantities created_at updated_at"
    ),
    "orders": (
        "id price items status approved_at rejected_at rejection_reason fulfillment_started_at "
        "shipped_at completed_at tracking_number shipping_carrier estimated_delivery "
        "assigned_warehouse_id fulfillment_data notes delivery_address expected_delivery_date "
        "parent_order_id is_backorder fulfillment_error fulfillment_failed_at buyer_id "
        "seller_id approver_id created_at updated_at"
    ),
}


def test_each_table_has_the_apps_columns_in_the_apps_order() -> None:
    for table, columns in APP_COLUMNS.items():
        assert table_columns(table) == tuple(columns.split()), table


def test_orders_name_the_approver_as_the_app_does() -> None:
    orders = table_columns("orders")
    assert "approver_id" in orders
    assert "approved_by" not in orders
    assert "delivered_at" not in orders


def test_demo_data_follows_the_apps_time_zone_by_default() -> None:
    assert DemoSpec().timezone == "Africa/Kampala"
