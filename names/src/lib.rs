//! Validation of AWS Lambda function references and qualifiers.
//!
//! [`FunctionName`] accepts every form Lambda's `Invoke` accepts for `FunctionName`:
//!
//! | form | example |
//! |---|---|
//! | name | `my-function` |
//! | name with qualifier | `my-function:v1`, `my-function:$LATEST` |
//! | partial ARN | `123456789012:function:my-function`, `us-west-2:123456789012:function:my-function` |
//! | full ARN | `arn:aws:lambda:us-west-2:123456789012:function:my-function[:qualifier]` |
//!
//! Acceptance follows the pattern of the AWS service model (anchored, matched the way a
//! backtracking regex engine matches it), with these deliberate restrictions:
//!
//! * the function-name part is at most [`MAX_FUNCTION_LEN`] characters of `[a-zA-Z0-9-_]`. The
//!   model's `Invoke` pattern also allows `.` there, but `CreateFunction` does not, so no function
//!   can have a `.` in its name: a `.` is reported as an invalid character;
//! * a full ARN must name a partition (`arn::lambda:…` is rejected, although the pattern's
//!   partition group is optional);
//! * a qualifier starting with `$` must be `$LATEST` or `$LATEST.PUBLISHED`, and no other
//!   qualifier may contain `$` (the model's separate-`Qualifier` pattern allows `$` anywhere, but
//!   versions are digits and alias names cannot contain `$`).
//!
//! The parser is hand-written so that every error says precisely what is wrong
//! ([`NameError`]); it never panics, whatever the input.
//!
//! ```
//! use lambda_remote_names::{effective_qualifier, FunctionName, NameError, NameKind};
//!
//! let name: FunctionName = "arn:aws:lambda:us-west-2:123456789012:function:orders:prod".parse()?;
//! assert_eq!(name.kind(), NameKind::Arn);
//! assert_eq!(name.function(), "orders");
//! assert_eq!(name.qualifier(), Some("prod"));
//! assert_eq!(effective_qualifier(&name, None)?, Some("prod"));
//!
//! let staged = name.with_function("orders-staging")?;
//! assert_eq!(staged.as_str(), "arn:aws:lambda:us-west-2:123456789012:function:orders-staging:prod");
//!
//! assert_eq!(
//!     FunctionName::parse("orders!").unwrap_err().to_string(),
//!     "invalid character `!` at position 6 (counting from 0) in the function name; \
//!      a function name may contain only ASCII letters, digits, `-` and `_`",
//! );
//! # Ok::<(), NameError>(())
//! ```
//!
//! The source is split by concern, each file using only the ones before it: `error` ([`NameError`],
//! [`NamePart`]); `grammar` (the length limits, `:`-separated segments, and the character classes
//! and checks of names, partitions, regions and account IDs); `qualifier` ([`validate_qualifier`],
//! [`qualifier_kind`]); `function_name` ([`FunctionName`], [`NameKind`], [`effective_qualifier`]);
//! `tenant` ([`validate_tenant_id`], the grammar of tenant ids, shared by the client's check and
//! the local endpoint).
//! Every public item is re-exported here, at the crate root.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod error;
mod function_name;
mod grammar;
mod qualifier;
mod tenant;

pub use error::{NameError, NamePart};
pub use function_name::{FunctionName, NameKind, effective_qualifier};
pub use grammar::{MAX_FUNCTION_LEN, MAX_NAME_LEN, MAX_QUALIFIER_LEN};
pub use qualifier::{QualifierKind, qualifier_kind, validate_qualifier};
pub use tenant::{
    MAX_TENANT_ID_LEN, TENANT_ID_PATTERN, TenantIdError, is_tenant_id_char, validate_tenant_id,
};
