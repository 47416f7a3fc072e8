//! Which function each method calls: the attributes' names, the builder's overrides and the environment, resolved and validated once when the client is built.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use lambda_remote_names::{FunctionName, NameError, effective_qualifier, validate_qualifier};

use crate::spec::MethodSpec;

/// Reads a variable by name; the process environment by default.
pub(crate) type EnvLookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// How the builder turns the names in the attributes into the names called.
#[derive(Clone, Default)]
pub(crate) struct Naming {
    pub(crate) prefix: Option<String>,
    pub(crate) suffix: Option<String>,
    pub(crate) qualifier: Option<String>,
    pub(crate) functions: BTreeMap<String, String>,
    pub(crate) qualifiers: BTreeMap<String, String>,
    pub(crate) env: Option<EnvLookup>,
}

/// The function a method calls, after resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ResolvedFunction {
    pub(crate) name: FunctionName,
    pub(crate) qualifier: Option<String>,
}

impl ResolvedFunction {
    /// The method's defaults, which the macro validated at compile time.
    pub(crate) fn from_spec(spec: &MethodSpec) -> Result<Self, NameError> {
        let name = FunctionName::parse(spec.function)?;
        let qualifier = effective_qualifier(&name, spec.qualifier)?.map(str::to_owned);
        Ok(Self { name, qualifier })
    }

    /// The qualifier to send for one call, given a per-call override.
    pub(crate) fn qualifier_for(
        &self,
        requested: Option<&str>,
    ) -> Result<Option<String>, NameError> {
        match requested {
            None => Ok(self.qualifier.clone()),
            Some(requested) => {
                validate_qualifier(requested)?;
                Ok(effective_qualifier(&self.name, Some(requested))?.map(str::to_owned))
            }
        }
    }
}

/// A client configuration that resolves to an invalid name, or names a method the trait
/// does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// An override names a method the trait does not have.
    UnknownMethod {
        /// The trait.
        r#trait: &'static str,
        /// The name given.
        method: String,
    },
    /// A method's function name or qualifier resolved to an invalid value.
    InvalidName {
        /// The method.
        method: &'static str,
        /// The value that failed, e.g. the prefixed name.
        value: String,
        /// Why it is invalid.
        source: NameError,
    },
    /// The client's tenant id ([`ClientBuilder::tenant_id`](crate::ClientBuilder::tenant_id))
    /// is not 1 to 256 characters of `[a-zA-Z0-9._:/=+\-@ ]`.
    TenantId {
        /// What is wrong with it.
        reason: String,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownMethod { r#trait, method } => {
                write!(f, "`{trait}` has no method `{method}`")
            }
            Self::InvalidName {
                method,
                value,
                source,
            } => write!(f, "method `{method}` resolves to `{value}`: {source}"),
            Self::TenantId { reason } => write!(f, "invalid tenant id: {reason}"),
        }
    }
}

/// An [`InvalidName`](ConfigError::InvalidName)'s message shows its `source` field's, so
/// `source()` is that error's own source.
impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::InvalidName { source, .. } => source.source(),
            Self::UnknownMethod { .. } | Self::TenantId { .. } => None,
        }
    }
}

impl Naming {
    fn env(&self, key: &str) -> Option<String> {
        self.env
            .as_ref()
            .and_then(|lookup| lookup(key))
            .filter(|v| !v.is_empty())
    }

    /// Resolves one method. Precedence, highest first: the builder's per-method override, the
    /// environment's per-method variable, the attribute; prefix and suffix apply to names that
    /// were not overridden; the builder's default qualifier applies to methods without one.
    pub(crate) fn resolve(
        &self,
        trait_name: &str,
        spec: &MethodSpec,
    ) -> Result<ResolvedFunction, ConfigError> {
        let key = format!(
            "LAMBDA_REMOTE_{}_{}",
            screaming_snake(trait_name),
            screaming_snake(spec.method)
        );
        let invalid = |value: &str, source| ConfigError::InvalidName {
            method: spec.method,
            value: value.to_owned(),
            source,
        };
        let explicit = self
            .functions
            .get(spec.method)
            .cloned()
            .or_else(|| self.env(&format!("{key}_FUNCTION")));
        let name = match &explicit {
            Some(explicit) => FunctionName::parse(explicit).map_err(|e| invalid(explicit, e))?,
            None => {
                let name =
                    FunctionName::parse(spec.function).map_err(|e| invalid(spec.function, e))?;
                let prefix = self
                    .prefix
                    .clone()
                    .or_else(|| self.env("LAMBDA_REMOTE_FUNCTION_PREFIX"))
                    .unwrap_or_default();
                let suffix = self
                    .suffix
                    .clone()
                    .or_else(|| self.env("LAMBDA_REMOTE_FUNCTION_SUFFIX"))
                    .unwrap_or_default();
                if prefix.is_empty() && suffix.is_empty() {
                    name
                } else {
                    let function = format!("{prefix}{}{suffix}", name.function());
                    name.with_function(&function)
                        .map_err(|e| invalid(&function, e))?
                }
            }
        };
        let qualifier = self
            .qualifiers
            .get(spec.method)
            .cloned()
            .or_else(|| self.env(&format!("{key}_QUALIFIER")))
            .or_else(|| spec.qualifier.map(str::to_owned))
            .or_else(|| {
                if name.qualifier().is_some() {
                    return None;
                }
                self.qualifier
                    .clone()
                    .or_else(|| self.env("LAMBDA_REMOTE_QUALIFIER"))
            });
        if let Some(q) = &qualifier {
            validate_qualifier(q).map_err(|e| invalid(q, e))?;
        }
        let qualifier = effective_qualifier(&name, qualifier.as_deref())
            .map_err(|e| invalid(name.as_str(), e))?
            .map(str::to_owned);
        Ok(ResolvedFunction { name, qualifier })
    }
}

/// `BillingService` → `BILLING_SERVICE`, `charge_card` → `CHARGE_CARD`.
pub(crate) fn screaming_snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_uppercase() && previous_lower {
            out.push('_');
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        out.extend(c.to_uppercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHARGE: MethodSpec = MethodSpec::new("charge", "billing-charge");
    const QUOTE: MethodSpec = MethodSpec::new(
        "quote",
        "arn:aws:lambda:us-east-1:123456789012:function:quote",
    )
    .qualifier("live");

    fn env(pairs: &'static [(&'static str, &'static str)]) -> Option<EnvLookup> {
        Some(Arc::new(move |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.to_string())
        }))
    }

    #[test]
    fn defaults_resolve_to_the_attribute() {
        let resolved = Naming::default().resolve("Billing", &CHARGE).unwrap();
        assert_eq!(resolved.name.as_str(), "billing-charge");
        assert_eq!(resolved.qualifier, None);
        let quote = Naming::default().resolve("Billing", &QUOTE).unwrap();
        assert_eq!(quote.qualifier.as_deref(), Some("live"));
    }

    #[test]
    fn prefix_suffix_and_stage_qualifier_apply_to_defaults() {
        let naming = Naming {
            prefix: Some("prod-".into()),
            suffix: Some("-v2".into()),
            qualifier: Some("stable".into()),
            ..Naming::default()
        };
        let charge = naming.resolve("Billing", &CHARGE).unwrap();
        assert_eq!(charge.name.as_str(), "prod-billing-charge-v2");
        assert_eq!(charge.qualifier.as_deref(), Some("stable"));
        let quote = naming.resolve("Billing", &QUOTE).unwrap();
        assert_eq!(
            quote.name.as_str(),
            "arn:aws:lambda:us-east-1:123456789012:function:prod-quote-v2"
        );
        assert_eq!(
            quote.qualifier.as_deref(),
            Some("live"),
            "attribute wins over stage"
        );
    }

    #[test]
    fn explicit_overrides_win_and_skip_the_prefix() {
        let mut naming = Naming {
            prefix: Some("prod-".into()),
            ..Naming::default()
        };
        naming.functions.insert("charge".into(), "other:v3".into());
        let charge = naming.resolve("Billing", &CHARGE).unwrap();
        assert_eq!(charge.name.as_str(), "other:v3");
        assert_eq!(charge.qualifier.as_deref(), Some("v3"));
    }

    #[test]
    fn environment_variables_are_read_when_enabled() {
        let naming = Naming {
            env: env(&[
                ("LAMBDA_REMOTE_BILLING_CHARGE_FUNCTION", "from-env"),
                ("LAMBDA_REMOTE_BILLING_CHARGE_QUALIFIER", "blue"),
                ("LAMBDA_REMOTE_FUNCTION_PREFIX", "dev-"),
            ]),
            ..Naming::default()
        };
        let charge = naming.resolve("Billing", &CHARGE).unwrap();
        assert_eq!(charge.name.as_str(), "from-env");
        assert_eq!(charge.qualifier.as_deref(), Some("blue"));
        let quote = naming.resolve("Billing", &QUOTE).unwrap();
        assert!(quote.name.as_str().ends_with(":function:dev-quote"));
    }

    #[test]
    fn invalid_results_are_reported_with_the_method() {
        let naming = Naming {
            prefix: Some("x".repeat(60)),
            ..Naming::default()
        };
        let error = naming.resolve("Billing", &CHARGE).unwrap_err();
        assert!(
            matches!(
                error,
                ConfigError::InvalidName {
                    method: "charge",
                    ..
                }
            ),
            "{error:?}"
        );

        let mut naming = Naming::default();
        naming
            .qualifiers
            .insert("charge".into(), "bad qualifier!".into());
        assert!(naming.resolve("Billing", &CHARGE).is_err());

        let mut naming = Naming::default();
        naming.functions.insert("charge".into(), "f:v1".into());
        naming.qualifiers.insert("charge".into(), "v2".into());
        let error = naming.resolve("Billing", &CHARGE).unwrap_err();
        assert!(error.to_string().contains("charge"), "{error}");
    }

    #[test]
    fn per_call_qualifiers_are_checked() {
        let resolved = ResolvedFunction::from_spec(&MethodSpec::new("m", "f:v1")).unwrap();
        assert_eq!(
            resolved.qualifier_for(Some("v1")).unwrap().as_deref(),
            Some("v1")
        );
        assert!(resolved.qualifier_for(Some("v2")).is_err());
        assert!(resolved.qualifier_for(Some("")).is_err());
    }

    #[test]
    fn screaming_snake_splits_words() {
        assert_eq!(screaming_snake("BillingService"), "BILLING_SERVICE");
        assert_eq!(screaming_snake("charge_card"), "CHARGE_CARD");
        assert_eq!(screaming_snake("S3Copy"), "S3_COPY");
    }
}
