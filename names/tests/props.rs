//! Property tests: parsing never panics, and valid components round-trip.

use lambda_remote_names::{FunctionName, MAX_NAME_LEN, NameError, NameKind};
use proptest::prelude::*;

/// Checks everything that must hold for any input, valid or not.
fn check_any(input: &str) {
    match FunctionName::parse(input) {
        Ok(name) => {
            assert_eq!(name.as_str(), input);
            assert_eq!(name.to_string(), input);
            assert_eq!(FunctionName::parse(name.as_str()).as_ref(), Ok(&name));
            assert!(input.chars().count() <= MAX_NAME_LEN);
            for part in [
                Some(name.function()),
                name.qualifier(),
                name.region(),
                name.account(),
                name.partition(),
            ]
            .into_iter()
            .flatten()
            {
                assert!(input.contains(part));
            }
            let bare = name.without_qualifier();
            assert_eq!(bare.qualifier(), None);
            assert_eq!(bare.function(), name.function());
            assert_eq!(FunctionName::parse(bare.as_str()), Ok(bare.clone()));
            if let Some(q) = name.qualifier() {
                assert_eq!(bare.with_qualifier(q), Ok(name.clone()));
            }
        }
        Err(e) => {
            assert!(!e.to_string().is_empty());
            if let NameError::InvalidCharacter {
                found, position, ..
            } = e
            {
                assert_eq!(input.chars().nth(position), Some(found), "{input:?}");
            }
        }
    }
}

/// Segments that steer the parser down every path, valid and not.
fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("arn".to_owned()),
        Just("ARN".to_owned()),
        Just("aws".to_owned()),
        Just("aws-cn".to_owned()),
        Just("lambda".to_owned()),
        Just("function".to_owned()),
        Just("us-west-2".to_owned()),
        Just("us-gov-west-1".to_owned()),
        Just("eusc-de-east-1".to_owned()),
        Just("123456789012".to_owned()),
        Just("$LATEST".to_owned()),
        Just("$LATEST.PUBLISHED".to_owned()),
        Just(String::new()),
        "[a-z0-9-]{1,12}",
        "[a-zA-Z0-9_$.-]{1,20}",
        "\\PC{1,8}",
        ".{0,8}",
    ]
}

fn joined() -> impl Strategy<Value = String> {
    prop::collection::vec(segment(), 1..10).prop_map(|v| v.join(":"))
}

fn region() -> impl Strategy<Value = String> {
    "(eusc-)?[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]{1,9}-[0-9]"
}

fn partition() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("aws".to_owned()),
        Just("aws-cn".to_owned()),
        Just("aws-us-gov".to_owned()),
        Just("aws-iso-b".to_owned()),
        "aws[a-zA-Z-]{0,12}",
    ]
}

fn qualifier() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        Just("$LATEST".to_owned()),
        Just("$LATEST.PUBLISHED".to_owned()),
        "[1-9][0-9]{0,4}",
        "[a-zA-Z0-9_-]{1,128}",
    ])
}

/// Could this name be read as a region, account ID or `function:` prefix? (A superset.)
fn prefix_like(name: &str) -> bool {
    name == "function"
        || (name.len() == 12 && name.bytes().all(|b| b.is_ascii_digit()))
        || (name.contains('-')
            && name.ends_with(|c: char| c.is_ascii_digit())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'))
}

#[derive(Debug, Clone)]
struct Parts {
    partition: Option<String>,
    region: Option<String>,
    account: Option<String>,
    prefixed: bool,
    function: String,
    qualifier: Option<String>,
}

impl Parts {
    fn kind(&self) -> NameKind {
        if self.partition.is_some() {
            NameKind::Arn
        } else if self.region.is_some() || self.account.is_some() || self.prefixed {
            NameKind::PartialArn
        } else {
            NameKind::Name
        }
    }

    fn render(&self) -> String {
        let mut s = String::new();
        if let Some(p) = &self.partition {
            s.push_str(&format!("arn:{p}:lambda:"));
        }
        for part in [&self.region, &self.account].into_iter().flatten() {
            s.push_str(part);
            s.push(':');
        }
        if self.prefixed {
            s.push_str("function:");
        }
        s.push_str(&self.function);
        if let Some(q) = &self.qualifier {
            s.push(':');
            s.push_str(q);
        }
        s
    }

    /// Without a `function:` marker, a function named like a region, an account ID or `function`
    /// is read as a prefix, as the AWS pattern reads it; everything else reads back as built.
    fn reads_back(&self) -> bool {
        self.prefixed || !prefix_like(&self.function)
    }
}

fn function() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z0-9_-]{1,64}",
        1 => region(),
        1 => "[0-9]{12}",
        1 => Just("function".to_owned()),
    ]
}

fn parts() -> impl Strategy<Value = Parts> {
    (
        0..4u8,
        partition(),
        region(),
        "[0-9]{12}",
        any::<bool>(),
        function(),
        qualifier(),
    )
        .prop_map(
            |(form, partition, region, account, prefixed, function, qualifier)| {
                let (partition, region, account) = match form {
                    0 => (None, None, None),
                    1 => (None, None, Some(account)),
                    2 => (None, Some(region), Some(account)),
                    _ => (Some(partition), Some(region), Some(account)),
                };
                Parts {
                    partition,
                    region,
                    account,
                    prefixed,
                    function,
                    qualifier,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(2000)))]

    #[test]
    fn never_panics_on_arbitrary_strings(s in any::<String>()) {
        check_any(&s);
    }

    #[test]
    fn never_panics_on_long_unicode(s in "\\PC{0,400}") {
        check_any(&s);
    }

    #[test]
    fn never_panics_on_structured_input(s in joined()) {
        check_any(&s);
    }

    #[test]
    fn valid_components_round_trip(p in parts()) {
        let rendered = p.render();
        prop_assume!(rendered.len() <= MAX_NAME_LEN);
        let name = match FunctionName::parse(&rendered) {
            Ok(name) => name,
            // `us-west-2:<a 100-character alias>` reads as a region and a function name that is
            // too long.
            Err(NameError::FunctionTooLong { .. }) if !p.reads_back() => return Ok(()),
            Err(e) => return Err(TestCaseError::fail(format!("{rendered:?}: {e:?}"))),
        };
        prop_assert_eq!(name.to_string(), rendered.clone());
        check_any(&rendered);
        if p.reads_back() {
            prop_assert_eq!(name.kind(), p.kind());
            prop_assert_eq!(name.partition(), p.partition.as_deref());
            prop_assert_eq!(name.region(), p.region.as_deref());
            prop_assert_eq!(name.account(), p.account.as_deref());
            prop_assert_eq!(name.function(), p.function.as_str());
            prop_assert_eq!(name.qualifier(), p.qualifier.as_deref());
        }
    }

    #[test]
    fn with_function_preserves_the_rest(p in parts(), f in function()) {
        let rendered = p.render();
        prop_assume!(rendered.len() <= MAX_NAME_LEN);
        let Ok(name) = FunctionName::parse(&rendered) else {
            prop_assume!(false);
            unreachable!()
        };
        match name.with_function(&f) {
            Ok(new) => {
                prop_assert_eq!(new.function(), f.as_str());
                prop_assert_eq!(new.qualifier(), name.qualifier());
                prop_assert_eq!(new.region(), name.region());
                prop_assert_eq!(new.account(), name.account());
                prop_assert_eq!(new.partition(), name.partition());
                prop_assert_eq!(new.kind(), name.kind());
                prop_assert_eq!(new.with_function(name.function()), Ok(name.clone()));
            }
            Err(NameError::TooLong { .. }) => {
                prop_assert!(rendered.len() - name.function().len() + f.len() > MAX_NAME_LEN);
            }
            Err(NameError::Ambiguous { .. }) => prop_assert!(prefix_like(&f)),
            Err(e) => prop_assert!(false, "unexpected error {e:?}"),
        }
    }
}

/// The number of cases: `PROPTEST_CASES` when set (for long runs), else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
