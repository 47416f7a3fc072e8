//! The evolutions table of the `contract` module's documentation, row by row: each edit a
//! team makes to a contract, made to a real `#[lambda_remote(schema)]` trait, and exactly the
//! entries `Contract::breaking_changes` gives for it (none for the compatible ones).

use lambda_remote::GeneratedClient;
use lambda_remote::contract::{BreakingChange, Part};

/// `mod $row { mod old { … } mod new { … } }`: one contract as deployed and after the edit,
/// each with the same imports.
macro_rules! evolution {
    ($row:ident old { $($old:item)* } new { $($new:item)* }) => {
        #[allow(dead_code)]
        mod $row {
            pub mod old {
                #![allow(unused_imports)]
                use lambda_remote::{lambda_remote, InvokeError};
                use serde::{Deserialize, Serialize};
                use lambda_remote::schemars::JsonSchema;
                $($old)*
            }
            pub mod new {
                #![allow(unused_imports)]
                use lambda_remote::{lambda_remote, InvokeError};
                use serde::{Deserialize, Serialize};
                use lambda_remote::schemars::JsonSchema;
                $($new)*
            }
        }
    };
}

/// The entries for the edit from `$row::old` to `$row::new`.
macro_rules! changes {
    ($row:ident) => {
        $row::old::ShopClient::contract().breaking_changes(&$row::new::ShopClient::contract())
    };
}

fn required(field: &str) -> BreakingChange {
    BreakingChange::PayloadFieldRequired {
        method: "order".into(),
        field: field.into(),
    }
}

fn not_guaranteed(field: &str) -> BreakingChange {
    BreakingChange::ResultFieldNotGuaranteed {
        method: "order".into(),
        field: field.into(),
    }
}

// A payload field added, optional.
evolution! {
    payload_field_added_optional
    old {
        #[derive(Serialize, Deserialize, JsonSchema)]
        #[schemars(crate = "lambda_remote::schemars")]
        pub struct Order { pub sku: String }
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, order: Order) -> Result<u64, InvokeError>;
        }
    }
    new {
        #[derive(Serialize, Deserialize, JsonSchema)]
        #[schemars(crate = "lambda_remote::schemars")]
        pub struct Order { pub sku: String, pub coupon: Option<String> }
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, order: Order) -> Result<u64, InvokeError>;
        }
    }
}

#[test]
fn a_payload_field_added_optional_breaks_nothing() {
    assert_eq!(changes!(payload_field_added_optional), []);
}

// A payload field added, required.
evolution! {
    payload_field_added_required
    old {
        #[derive(Serialize, Deserialize, JsonSchema)]
        #[schemars(crate = "lambda_remote::schemars")]
        pub struct Order { pub sku: String }
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, order: Order) -> Result<u64, InvokeError>;
        }
    }
    new {
        #[derive(Serialize, Deserialize, JsonSchema)]
        #[schemars(crate = "lambda_remote::schemars")]
        pub struct Order { pub sku: String, pub coupon: String }
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, order: Order) -> Result<u64, InvokeError>;
        }
    }
}

#[test]
fn a_payload_field_added_required_is_newly_required() {
    let changes = changes!(payload_field_added_required);
    assert_eq!(changes, [required("coupon")]);
    assert_eq!(
        changes[0].to_string(),
        "`order`: the payload field `coupon` is newly required"
    );
}

// A payload field removed.
evolution! {
    payload_field_removed
    old {
        #[derive(Serialize, Deserialize, JsonSchema)]
        #[schemars(crate = "lambda_remote::schemars")]
        pub struct Order { pub sku: String, pub qty: u32 }
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, order: Order) -> Result<u64, InvokeError>;
        }
    }
    new {
        #[derive(Serialize, Deserialize, JsonSchema)]
        #[schemars(crate = "lambda_remote::schemars")]
        pub struct Order { pub sku: String }
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, order: Order) -> Result<u64, InvokeError>;
        }
    }
}

#[test]
fn a_payload_field_removed_breaks_nothing() {
    assert_eq!(changes!(payload_field_removed), []);
}

// A payload field made optional.
evolution! {
    payload_field_made_optional
    old {
        #[derive(Serialize, Deserialize, JsonSchema)]
        #[schemars(crate = "lambda_remote::schemars")]
        pub struct Order { pub sku: String, pub qty: u32 }
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, order: Order) -> Result<u64, InvokeError>;
        }
    }
    new {
        #[derive(Serialize, Deserialize, JsonSchema)]
        #[schemars(crate = "lambda_remote::schemars")]
        pub struct Order { pub sku: String, pub qty: Option<u32> }
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, order: Order) -> Result<u64, InvokeError>;
        }
    }
}

#[test]
fn a_payload_field_made_optional_breaks_nothing() {
    assert_eq!(changes!(payload_field_made_optional), []);
}

// A payload field made required.
evolution! {
    payload_field_made_required
    old {
        #[derive(Serialize, Deserialize, JsonSchema)]
        #[schemars(crate = "lambda_remote::schemars")]
        pub struct Order { pub sku: String, pub note: Option<String> }
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, order: Order) -> Result<u64, InvokeError>;
        }
    }
    new {
        #[derive(Serialize, Deserialize, JsonSchema)]
        #[schemars(crate = "lambda_remote::schemars")]
        pub struct Order { pub sku: String, pub note: String }
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, order: Order) -> Result<u64, InvokeError>;
        }
    }
}

#[test]
fn a_payload_field_made_required_is_reported_once() {
    assert_eq!(changes!(payload_field_made_required), [required("note")]);
}

// A required payload field renamed.
evolution! {
    payload_field_renamed
    old {
        #[derive(Serialize, Deserialize, JsonSchema)]
        #[schemars(crate = "lambda_remote::schemars")]
        pub struct Order { pub sku: String, pub qty: u32 }
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, order: Order) -> Result<u64, InvokeError>;
        }
    }
    new {
        #[derive(Serialize, Deserialize, JsonSchema)]
        #[schemars(crate = "lambda_remote::schemars")]
        pub struct Order { pub sku: String, pub quantity: u32 }
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, order: Order) -> Result<u64, InvokeError>;
        }
    }
}

#[test]
fn a_required_payload_field_renamed_is_the_new_name_required() {
    assert_eq!(changes!(payload_field_renamed), [required("quantity")]);
}

// A payload type widened.
evolution! {
    payload_type_widened
    old {
        #[derive(Serialize, Deserialize, JsonSchema)]
        #[schemars(crate = "lambda_remote::schemars")]
        pub struct Order { pub sku: String, pub qty: u32 }
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, order: Order) -> Result<u64, InvokeError>;
        }
    }
    new {
        #[derive(Serialize, Deserialize, JsonSchema)]
        #[schemars(crate = "lambda_remote::schemars")]
        pub struct Order { pub sku: String, pub qty: f64 }
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, order: Order) -> Result<u64, InvokeError>;
        }
    }
}

#[test]
fn a_payload_type_widened_breaks_nothing() {
    assert_eq!(changes!(payload_type_widened), []);
}

// Result fields added, one optional and one required.
evolution! {
    result_fields_added
    old {
        #[derive(Serialize, Deserialize, JsonSchema)]
        #[schemars(crate = "lambda_remote::schemars")]
        pub struct Receipt { pub id: String }
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, sku: String) -> Result<Receipt, InvokeError>;
        }
    }
    new {
        #[derive(Serialize, Deserialize, JsonSchema)]
        #[schemars(crate = "lambda_remote::schemars")]
        pub struct Receipt { pub id: String, pub total: u64, pub note: Option<String> }
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, sku: String) -> Result<Receipt, InvokeError>;
        }
    }
}

#[test]
fn result_fields_added_optional_or_required_break_nothing() {
    assert_eq!(changes!(result_fields_added), []);
}

// A required result field removed.
evolution! {
    result_field_removed
    old {
        #[derive(Serialize, Deserialize, JsonSchema)]
        #[schemars(crate = "lambda_remote::schemars")]
        pub struct Receipt { pub id: String, pub total: u64 }
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, sku: String) -> Result<Receipt, InvokeError>;
        }
    }
    new {
        #[derive(Serialize, Deserialize, JsonSchema)]
        #[schemars(crate = "lambda_remote::schemars")]
        pub struct Receipt { pub id: String }
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, sku: String) -> Result<Receipt, InvokeError>;
        }
    }
}

#[test]
fn a_required_result_field_removed_is_no_longer_guaranteed() {
    assert_eq!(changes!(result_field_removed), [not_guaranteed("total")]);
}

// A result field made optional: the edit of the issue, reported once.
evolution! {
    result_field_made_optional
    old {
        #[derive(Serialize, Deserialize, JsonSchema)]
        #[schemars(crate = "lambda_remote::schemars")]
        pub struct Receipt { pub id: String, pub total: u64 }
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, sku: String) -> Result<Receipt, InvokeError>;
        }
    }
    new {
        #[derive(Serialize, Deserialize, JsonSchema)]
        #[schemars(crate = "lambda_remote::schemars")]
        pub struct Receipt { pub id: String, pub total: Option<u64> }
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, sku: String) -> Result<Receipt, InvokeError>;
        }
    }
}

#[test]
fn a_result_field_made_optional_is_reported_once() {
    let changes = changes!(result_field_made_optional);
    assert_eq!(changes, [not_guaranteed("total")]);
    assert_eq!(
        changes[0].to_string(),
        "`order`: the result field `total` is no longer required"
    );
}

// A required result field renamed.
evolution! {
    result_field_renamed
    old {
        #[derive(Serialize, Deserialize, JsonSchema)]
        #[schemars(crate = "lambda_remote::schemars")]
        pub struct Receipt { pub id: String, pub total: u64 }
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, sku: String) -> Result<Receipt, InvokeError>;
        }
    }
    new {
        #[derive(Serialize, Deserialize, JsonSchema)]
        #[schemars(crate = "lambda_remote::schemars")]
        pub struct Receipt { pub id: String, pub amount: u64 }
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, sku: String) -> Result<Receipt, InvokeError>;
        }
    }
}

#[test]
fn a_required_result_field_renamed_is_the_old_name_no_longer_guaranteed() {
    assert_eq!(changes!(result_field_renamed), [not_guaranteed("total")]);
}

// A result type widened.
evolution! {
    result_type_widened
    old {
        #[derive(Serialize, Deserialize, JsonSchema)]
        #[schemars(crate = "lambda_remote::schemars")]
        pub struct Receipt { pub id: String, pub total: u64 }
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, sku: String) -> Result<Receipt, InvokeError>;
        }
    }
    new {
        #[derive(Serialize, Deserialize, JsonSchema)]
        #[schemars(crate = "lambda_remote::schemars")]
        pub struct Receipt { pub id: String, pub total: f64 }
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, sku: String) -> Result<Receipt, InvokeError>;
        }
    }
}

#[test]
fn a_result_type_widened_changed_type() {
    assert_eq!(
        changes!(result_type_widened),
        [BreakingChange::TypeChanged {
            method: "order".into(),
            part: Part::Result,
            path: "total".into(),
            old: "integer".into(),
            new: "number".into(),
        }]
    );
}

// The argument of a one-argument method renamed.
evolution! {
    single_argument_renamed
    old {
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, sku: String) -> Result<u64, InvokeError>;
        }
    }
    new {
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, item: String) -> Result<u64, InvokeError>;
        }
    }
}

#[test]
fn the_argument_of_a_one_argument_method_renamed_breaks_nothing() {
    assert_eq!(changes!(single_argument_renamed), []);
}

// An argument of a several-argument method renamed.
evolution! {
    argument_renamed
    old {
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, sku: String, qty: u32) -> Result<u64, InvokeError>;
        }
    }
    new {
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, sku: String, quantity: u32) -> Result<u64, InvokeError>;
        }
    }
}

#[test]
fn an_argument_renamed_is_an_argument_added() {
    assert_eq!(
        changes!(argument_renamed),
        [BreakingChange::ArgumentAdded {
            method: "order".into(),
            argument: "quantity".into(),
        }]
    );
}

// A method renamed, calling the same function.
evolution! {
    method_renamed
    old {
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, sku: String) -> Result<u64, InvokeError>;
        }
    }
    new {
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn place_order(&self, sku: String) -> Result<u64, InvokeError>;
        }
    }
}

#[test]
fn a_method_renamed_calling_the_same_function_breaks_nothing() {
    assert_eq!(changes!(method_renamed), []);
}

// An idempotency key removed, changed, added.
evolution! {
    idempotency_key_removed
    old {
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order", idempotency_key = "order-{sku}")]
            async fn order(&self, sku: String) -> Result<u64, InvokeError>;
        }
    }
    new {
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, sku: String) -> Result<u64, InvokeError>;
        }
    }
}

evolution! {
    idempotency_key_changed
    old {
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order", idempotency_key = "order-{sku}")]
            async fn order(&self, sku: String, quantity: u32) -> Result<u64, InvokeError>;
        }
    }
    new {
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order", idempotency_key = "order-{sku}-{quantity}")]
            async fn order(&self, sku: String, quantity: u32) -> Result<u64, InvokeError>;
        }
    }
}

evolution! {
    idempotency_key_added
    old {
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order")]
            async fn order(&self, sku: String) -> Result<u64, InvokeError>;
        }
    }
    new {
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-order", idempotency_key = "order-{sku}")]
            async fn order(&self, sku: String) -> Result<u64, InvokeError>;
        }
    }
}

#[test]
fn an_idempotency_key_removed_changed_or_added_is_a_change_of_behaviour() {
    let change = |old: Option<&str>, new: Option<&str>| BreakingChange::IdempotencyKeyChanged {
        method: "order".into(),
        old: old.map(str::to_owned),
        new: new.map(str::to_owned),
    };
    assert_eq!(
        changes!(idempotency_key_removed),
        [change(Some("order-{sku}"), None)]
    );
    assert_eq!(
        changes!(idempotency_key_changed),
        [change(Some("order-{sku}"), Some("order-{sku}-{quantity}"))]
    );
    assert_eq!(
        changes!(idempotency_key_added),
        [change(None, Some("order-{sku}"))]
    );
    assert_eq!(
        changes!(idempotency_key_changed)[0].to_string(),
        "`order`: the idempotency key `order-{sku}` is now `order-{sku}-{quantity}`"
    );
}

evolution! {
    claim_check_auto_to_never
    old {
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-upload")]
            async fn upload(&self, document: String) -> Result<u64, InvokeError>;
        }
    }
    new {
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-upload", claim_check = "never")]
            async fn upload(&self, document: String) -> Result<u64, InvokeError>;
        }
    }
}

evolution! {
    claim_check_never_to_auto
    old {
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-upload", claim_check = "never")]
            async fn upload(&self, document: String) -> Result<u64, InvokeError>;
        }
    }
    new {
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-upload", claim_check = "auto")]
            async fn upload(&self, document: String) -> Result<u64, InvokeError>;
        }
    }
}

evolution! {
    claim_check_auto_to_always
    old {
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-upload")]
            async fn upload(&self, document: String) -> Result<u64, InvokeError>;
        }
    }
    new {
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-upload", claim_check = "always")]
            async fn upload(&self, document: String) -> Result<u64, InvokeError>;
        }
    }
}

evolution! {
    claim_check_always_to_auto
    old {
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-upload", claim_check = "always")]
            async fn upload(&self, document: String) -> Result<u64, InvokeError>;
        }
    }
    new {
        #[lambda_remote(schema)]
        pub trait Shop {
            #[lambda(function = "shop-upload")]
            async fn upload(&self, document: String) -> Result<u64, InvokeError>;
        }
    }
}

#[test]
fn a_claim_check_a_deployed_peer_refuses_or_cannot_read_is_breaking() {
    use lambda_remote::claim_check::ClaimCheckMode::{Always, Auto, Never};
    let change = |old, new| BreakingChange::ClaimCheckChanged {
        method: "upload".into(),
        old,
        new,
    };
    assert_eq!(changes!(claim_check_auto_to_never), [change(Auto, Never)]);
    assert_eq!(changes!(claim_check_never_to_auto), [change(Never, Auto)]);
    assert_eq!(changes!(claim_check_auto_to_always), [change(Auto, Always)]);
    assert_eq!(changes!(claim_check_always_to_auto), []);
    assert_eq!(
        changes!(claim_check_auto_to_never)[0].to_string(),
        "`upload`: the claim check `auto` is now `never`"
    );
}
