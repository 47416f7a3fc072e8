//! Accepted forms, accessors, every error variant, rewriting and qualifier combination.

use lambda_remote_names::{
    FunctionName, MAX_FUNCTION_LEN, MAX_NAME_LEN, MAX_QUALIFIER_LEN, NameError, NameKind, NamePart,
    QualifierKind, effective_qualifier, qualifier_kind, validate_qualifier,
};

fn parse(s: &str) -> FunctionName {
    FunctionName::parse(s).unwrap_or_else(|e| panic!("{s:?} should parse: {e}"))
}

fn err(s: &str) -> NameError {
    match FunctionName::parse(s) {
        Ok(n) => panic!("{s:?} should not parse, got {n:?}"),
        Err(e) => e,
    }
}

/// (input, kind, partition, region, account, function, qualifier)
type Parts = (
    &'static str,
    NameKind,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
    Option<&'static str>,
);

const ACCEPTED: &[Parts] = &[
    (
        "my-function",
        NameKind::Name,
        None,
        None,
        None,
        "my-function",
        None,
    ),
    (
        "My_Function-2",
        NameKind::Name,
        None,
        None,
        None,
        "My_Function-2",
        None,
    ),
    ("f", NameKind::Name, None, None, None, "f", None),
    (
        "my-function:$LATEST",
        NameKind::Name,
        None,
        None,
        None,
        "my-function",
        Some("$LATEST"),
    ),
    (
        "my-function:$LATEST.PUBLISHED",
        NameKind::Name,
        None,
        None,
        None,
        "my-function",
        Some("$LATEST.PUBLISHED"),
    ),
    (
        "my-function:1",
        NameKind::Name,
        None,
        None,
        None,
        "my-function",
        Some("1"),
    ),
    (
        "my-function:42",
        NameKind::Name,
        None,
        None,
        None,
        "my-function",
        Some("42"),
    ),
    (
        "my-function:prod",
        NameKind::Name,
        None,
        None,
        None,
        "my-function",
        Some("prod"),
    ),
    (
        "my-function:blue_green-2",
        NameKind::Name,
        None,
        None,
        None,
        "my-function",
        Some("blue_green-2"),
    ),
    // Full ARNs in several partitions and region families.
    (
        "arn:aws:lambda:us-west-2:123456789012:function:my-function",
        NameKind::Arn,
        Some("aws"),
        Some("us-west-2"),
        Some("123456789012"),
        "my-function",
        None,
    ),
    (
        "arn:aws:lambda:us-west-2:123456789012:function:my-function:prod",
        NameKind::Arn,
        Some("aws"),
        Some("us-west-2"),
        Some("123456789012"),
        "my-function",
        Some("prod"),
    ),
    (
        "arn:aws:lambda:us-west-2:123456789012:function:my-function:$LATEST",
        NameKind::Arn,
        Some("aws"),
        Some("us-west-2"),
        Some("123456789012"),
        "my-function",
        Some("$LATEST"),
    ),
    (
        "arn:aws:lambda:eu-central-1:123456789012:function:f:$LATEST.PUBLISHED",
        NameKind::Arn,
        Some("aws"),
        Some("eu-central-1"),
        Some("123456789012"),
        "f",
        Some("$LATEST.PUBLISHED"),
    ),
    (
        "arn:aws:lambda:ap-southeast-2:123456789012:function:f:7",
        NameKind::Arn,
        Some("aws"),
        Some("ap-southeast-2"),
        Some("123456789012"),
        "f",
        Some("7"),
    ),
    (
        "arn:aws-cn:lambda:cn-north-1:123456789012:function:my-function",
        NameKind::Arn,
        Some("aws-cn"),
        Some("cn-north-1"),
        Some("123456789012"),
        "my-function",
        None,
    ),
    (
        "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:my-function:v2",
        NameKind::Arn,
        Some("aws-us-gov"),
        Some("us-gov-west-1"),
        Some("123456789012"),
        "my-function",
        Some("v2"),
    ),
    (
        "arn:aws-iso:lambda:us-iso-east-1:123456789012:function:f",
        NameKind::Arn,
        Some("aws-iso"),
        Some("us-iso-east-1"),
        Some("123456789012"),
        "f",
        None,
    ),
    (
        "arn:aws-iso-b:lambda:us-isob-east-1:123456789012:function:f:live",
        NameKind::Arn,
        Some("aws-iso-b"),
        Some("us-isob-east-1"),
        Some("123456789012"),
        "f",
        Some("live"),
    ),
    (
        "arn:aws-iso-e:lambda:eu-isoe-west-1:123456789012:function:f",
        NameKind::Arn,
        Some("aws-iso-e"),
        Some("eu-isoe-west-1"),
        Some("123456789012"),
        "f",
        None,
    ),
    (
        "arn:aws-eusc:lambda:eusc-de-east-1:123456789012:function:f",
        NameKind::Arn,
        Some("aws-eusc"),
        Some("eusc-de-east-1"),
        Some("123456789012"),
        "f",
        None,
    ),
    // The model's pattern makes `function:` optional in a full ARN.
    (
        "arn:aws:lambda:us-east-1:123456789012:my-function",
        NameKind::Arn,
        Some("aws"),
        Some("us-east-1"),
        Some("123456789012"),
        "my-function",
        None,
    ),
    // Partial ARNs.
    (
        "123456789012:function:my-function",
        NameKind::PartialArn,
        None,
        None,
        Some("123456789012"),
        "my-function",
        None,
    ),
    (
        "123456789012:function:my-function:v1",
        NameKind::PartialArn,
        None,
        None,
        Some("123456789012"),
        "my-function",
        Some("v1"),
    ),
    (
        "us-west-2:123456789012:function:my-function",
        NameKind::PartialArn,
        None,
        Some("us-west-2"),
        Some("123456789012"),
        "my-function",
        None,
    ),
    (
        "us-west-2:123456789012:function:my-function:$LATEST",
        NameKind::PartialArn,
        None,
        Some("us-west-2"),
        Some("123456789012"),
        "my-function",
        Some("$LATEST"),
    ),
    (
        "us-gov-east-1:123456789012:function:f:3",
        NameKind::PartialArn,
        None,
        Some("us-gov-east-1"),
        Some("123456789012"),
        "f",
        Some("3"),
    ),
    (
        "function:my-function",
        NameKind::PartialArn,
        None,
        None,
        None,
        "my-function",
        None,
    ),
    (
        "function:my-function:prod",
        NameKind::PartialArn,
        None,
        None,
        None,
        "my-function",
        Some("prod"),
    ),
    (
        "us-west-2:function:my-function",
        NameKind::PartialArn,
        None,
        Some("us-west-2"),
        None,
        "my-function",
        None,
    ),
    (
        "123456789012:my-function",
        NameKind::PartialArn,
        None,
        None,
        Some("123456789012"),
        "my-function",
        None,
    ),
    // Ambiguous texts read the way the model's pattern reads them.
    (
        "us-west-2:prod",
        NameKind::PartialArn,
        None,
        Some("us-west-2"),
        None,
        "prod",
        None,
    ),
    (
        "us-west-2:$LATEST",
        NameKind::Name,
        None,
        None,
        None,
        "us-west-2",
        Some("$LATEST"),
    ),
    (
        "function",
        NameKind::Name,
        None,
        None,
        None,
        "function",
        None,
    ),
    (
        "function:$LATEST",
        NameKind::Name,
        None,
        None,
        None,
        "function",
        Some("$LATEST"),
    ),
    (
        "arn:aws:lambda:us-east-1:123456789012:function",
        NameKind::Arn,
        Some("aws"),
        Some("us-east-1"),
        Some("123456789012"),
        "function",
        None,
    ),
    (
        "arn:v1",
        NameKind::Name,
        None,
        None,
        None,
        "arn",
        Some("v1"),
    ),
    (
        "123456789012",
        NameKind::Name,
        None,
        None,
        None,
        "123456789012",
        None,
    ),
    (
        "us-east-1",
        NameKind::Name,
        None,
        None,
        None,
        "us-east-1",
        None,
    ),
];

#[test]
fn accepted_forms_and_accessors() {
    for &(input, kind, partition, region, account, function, qualifier) in ACCEPTED {
        let n = parse(input);
        assert_eq!(n.as_str(), input);
        assert_eq!(n.to_string(), input);
        assert_eq!(n.kind(), kind, "{input}");
        assert_eq!(n.partition(), partition, "{input}");
        assert_eq!(n.region(), region, "{input}");
        assert_eq!(n.account(), account, "{input}");
        assert_eq!(n.function(), function, "{input}");
        assert_eq!(n.qualifier(), qualifier, "{input}");
        assert_eq!(input.parse::<FunctionName>(), Ok(n.clone()));
        assert_eq!(FunctionName::try_from(input), Ok(n.clone()));
        assert_eq!(FunctionName::try_from(input.to_owned()), Ok(n.clone()));
        assert_eq!(n.as_ref(), input);
        assert_eq!(String::from(n), input);
    }
}

#[test]
fn length_limits_are_inclusive() {
    let name = "a".repeat(MAX_FUNCTION_LEN);
    assert_eq!(parse(&name).function(), name);
    let q = "q".repeat(MAX_QUALIFIER_LEN);
    let with_q = format!("f:{q}");
    assert_eq!(parse(&with_q).qualifier(), Some(q.as_str()));
    // A whole value of exactly 256 characters: long partition, longest name and qualifier.
    let arn = format!(
        "arn:aws{}:lambda:us-west-2:123456789012:function:{}:{}",
        "x".repeat(16),
        "f".repeat(MAX_FUNCTION_LEN),
        "q".repeat(MAX_QUALIFIER_LEN)
    );
    assert_eq!(arn.len(), MAX_NAME_LEN);
    parse(&arn);
    assert_eq!(
        err(&format!("{arn}x")),
        NameError::TooLong { len: 257, max: 256 }
    );
}

#[test]
fn empty() {
    assert_eq!(err(""), NameError::Empty);
    assert_eq!(err(":v1"), NameError::Empty);
    assert_eq!(
        err("arn:aws:lambda:us-west-2:123456789012:function:"),
        NameError::Empty
    );
    assert_eq!(err("123456789012:function:"), NameError::Empty);
}

#[test]
fn too_long() {
    let s = "a".repeat(300);
    assert_eq!(err(&s), NameError::TooLong { len: 300, max: 256 });
    // Counted in characters, not bytes.
    let s = "é".repeat(200);
    assert_eq!(
        err(&s),
        NameError::InvalidCharacter {
            found: 'é',
            position: 0,
            part: NamePart::Function
        }
    );
    let s = "é".repeat(257);
    assert_eq!(err(&s), NameError::TooLong { len: 257, max: 256 });
}

#[test]
fn function_too_long() {
    let long = "a".repeat(65);
    assert_eq!(err(&long), NameError::FunctionTooLong { len: 65, max: 64 });
    assert_eq!(
        err(&format!("{long}:v1")),
        NameError::FunctionTooLong { len: 65, max: 64 }
    );
    assert_eq!(
        err(&format!(
            "arn:aws:lambda:us-west-2:123456789012:function:{long}"
        )),
        NameError::FunctionTooLong { len: 65, max: 64 }
    );
}

#[test]
fn invalid_character_positions() {
    let cases: &[(&str, char, usize, NamePart)] = &[
        ("my function", ' ', 2, NamePart::Function),
        ("my.function", '.', 2, NamePart::Function),
        ("my-function!", '!', 11, NamePart::Function),
        ("$LATEST", '$', 0, NamePart::Function),
        ("fünction", 'ü', 1, NamePart::Function),
        // Char offsets, not byte offsets, after non-ASCII text.
        ("ééé", 'é', 0, NamePart::Function),
        ("my-function:v1.2", '.', 14, NamePart::Qualifier),
        ("my-function:prød", 'ø', 14, NamePart::Qualifier),
        ("f:ü", 'ü', 2, NamePart::Qualifier),
        (
            "arn:aws:lambda:us-west-2:123456789012:function:my_fünc",
            'ü',
            51,
            NamePart::Function,
        ),
        (
            "arn:aws:lambda:us-west-2:123456789012:function:f:é",
            'é',
            49,
            NamePart::Qualifier,
        ),
        (
            "arn:aws:lambda:US-west-2:123456789012:function:f",
            'U',
            15,
            NamePart::Region,
        ),
        (
            "arn:aws:lambda:us-west-2:12345678901x:function:f",
            'x',
            36,
            NamePart::Account,
        ),
        (
            "arn:aws1:lambda:us-west-2:123456789012:function:f",
            '1',
            7,
            NamePart::Partition,
        ),
        ("1234567890é2:function:f", 'é', 10, NamePart::Account),
    ];
    for &(input, found, position, part) in cases {
        assert_eq!(
            err(input),
            NameError::InvalidCharacter {
                found,
                position,
                part
            },
            "{input}"
        );
        assert_eq!(input.chars().nth(position), Some(found), "{input}");
    }
}

#[test]
fn malformed_arn() {
    for input in [
        // Wrong service.
        "arn:aws:s3:us-west-2:123456789012:function:f",
        // Missing parts.
        "arn:aws:lambda",
        "arn:aws:lambda:us-west-2",
        "arn:aws:lambda:us-west-2:123456789012",
        // Extra segments.
        "arn:aws:lambda:us-west-2:123456789012:function:f:v1:extra",
        "arn:aws:lambda:us-west-2:123456789012:f:v1:extra",
        // Uppercase `ARN`.
        "ARN:aws:lambda:us-west-2:123456789012:function:f",
        // Too many parts for any non-ARN form.
        "a:b:c",
        "function:f:v1:x",
        "123456789012:function:f:v1:x",
    ] {
        assert!(
            matches!(err(input), NameError::MalformedArn { .. }),
            "{input}: {:?}",
            err(input)
        );
    }
}

#[test]
fn invalid_partition() {
    assert_eq!(
        err("arn:azure:lambda:us-west-2:123456789012:function:f"),
        NameError::InvalidPartition {
            partition: "azure".into()
        }
    );
    assert_eq!(
        err("arn::lambda:us-west-2:123456789012:function:f"),
        NameError::InvalidPartition {
            partition: String::new()
        }
    );
}

#[test]
fn invalid_region() {
    for (input, region) in [
        ("arn:aws:lambda:us-west:123456789012:function:f", "us-west"),
        (
            "arn:aws:lambda:us-west-22:123456789012:function:f",
            "us-west-22",
        ),
        ("arn:aws:lambda::123456789012:function:f", ""),
        ("us-west-22:123456789012:function:f", "us-west-22"),
        ("westus:function:f", "westus"),
    ] {
        assert_eq!(
            err(input),
            NameError::InvalidRegion {
                region: region.into()
            },
            "{input}"
        );
    }
}

#[test]
fn invalid_account() {
    for (input, account) in [
        ("arn:aws:lambda:us-west-2:12345:function:f", "12345"),
        (
            "arn:aws:lambda:us-west-2:1234567890123:function:f",
            "1234567890123",
        ),
        ("arn:aws:lambda:us-west-2::function:f", ""),
        ("12345:function:f", "12345"),
        ("us-west-2:12345:function:f", "12345"),
    ] {
        assert_eq!(
            err(input),
            NameError::InvalidAccount {
                account: account.into()
            },
            "{input}"
        );
    }
}

#[test]
fn qualifier_errors_in_names() {
    assert_eq!(err("my-function:"), NameError::EmptyQualifier);
    assert_eq!(
        err("arn:aws:lambda:us-west-2:123456789012:function:f:"),
        NameError::EmptyQualifier
    );
    assert_eq!(
        err(&format!("f:{}", "q".repeat(129))),
        NameError::QualifierTooLong { len: 129, max: 128 }
    );
    for q in [
        "$FOO",
        "$latest",
        "$LATEST.published",
        "$LATEST.PUBLISHED.x",
        "v$1",
        "$",
    ] {
        assert_eq!(
            err(&format!("my-function:{q}")),
            NameError::InvalidQualifier {
                qualifier: q.into()
            },
            "{q}"
        );
    }
}

#[test]
fn validate_qualifier_standalone() {
    for ok in [
        "$LATEST",
        "$LATEST.PUBLISHED",
        "1",
        "42",
        "prod",
        "blue-green_2",
    ] {
        assert_eq!(validate_qualifier(ok), Ok(()), "{ok}");
    }
    assert_eq!(validate_qualifier(&"q".repeat(128)), Ok(()));
    assert_eq!(validate_qualifier(""), Err(NameError::EmptyQualifier));
    assert_eq!(
        validate_qualifier(&"q".repeat(129)),
        Err(NameError::QualifierTooLong { len: 129, max: 128 })
    );
    assert_eq!(
        validate_qualifier("$FOO"),
        Err(NameError::InvalidQualifier {
            qualifier: "$FOO".into()
        })
    );
    assert_eq!(
        validate_qualifier("a:b"),
        Err(NameError::InvalidCharacter {
            found: ':',
            position: 1,
            part: NamePart::Qualifier
        })
    );
    assert_eq!(
        validate_qualifier("ünö"),
        Err(NameError::InvalidCharacter {
            found: 'ü',
            position: 0,
            part: NamePart::Qualifier
        })
    );
}

#[test]
fn qualifier_kinds() {
    assert_eq!(qualifier_kind("$LATEST"), Ok(QualifierKind::Latest));
    assert_eq!(
        qualifier_kind("$LATEST.PUBLISHED"),
        Ok(QualifierKind::LatestPublished)
    );
    assert_eq!(qualifier_kind("17"), Ok(QualifierKind::Version));
    assert_eq!(qualifier_kind("prod"), Ok(QualifierKind::Alias));
    assert_eq!(qualifier_kind("v1"), Ok(QualifierKind::Alias));
    assert_eq!(qualifier_kind(""), Err(NameError::EmptyQualifier));
}

#[test]
fn effective_qualifier_combinations() {
    let plain = parse("my-function");
    let qualified = parse("my-function:prod");
    assert_eq!(effective_qualifier(&plain, None), Ok(None));
    assert_eq!(effective_qualifier(&plain, Some("7")), Ok(Some("7")));
    assert_eq!(effective_qualifier(&qualified, None), Ok(Some("prod")));
    assert_eq!(
        effective_qualifier(&qualified, Some("prod")),
        Ok(Some("prod"))
    );
    assert_eq!(
        effective_qualifier(&qualified, Some("staging")),
        Err(NameError::QualifierMismatch {
            in_name: "prod".into(),
            given: "staging".into()
        })
    );
    // The separate qualifier is validated too.
    assert_eq!(
        effective_qualifier(&plain, Some("")),
        Err(NameError::EmptyQualifier)
    );
    assert_eq!(
        effective_qualifier(&qualified, Some("$FOO")),
        Err(NameError::InvalidQualifier {
            qualifier: "$FOO".into()
        })
    );
}

#[test]
fn with_function_keeps_structure() {
    for (input, new_fn, expected) in [
        ("orders", "orders-dev", "orders-dev"),
        ("orders:prod", "dev-orders", "dev-orders:prod"),
        (
            "arn:aws:lambda:us-west-2:123456789012:function:orders:$LATEST",
            "orders_staging",
            "arn:aws:lambda:us-west-2:123456789012:function:orders_staging:$LATEST",
        ),
        (
            "123456789012:function:orders",
            "orders-x",
            "123456789012:function:orders-x",
        ),
        ("us-west-2:orders", "o", "us-west-2:o"),
    ] {
        let n = parse(input);
        let m = n.with_function(new_fn).unwrap();
        assert_eq!(m.as_str(), expected);
        assert_eq!(m, parse(expected));
        assert_eq!(m.function(), new_fn);
        assert_eq!(m.qualifier(), n.qualifier());
        assert_eq!(m.kind(), n.kind());
        assert_eq!(m.region(), n.region());
        assert_eq!(m.account(), n.account());
        assert_eq!(m.partition(), n.partition());
        // And back.
        assert_eq!(m.with_function(n.function()).unwrap(), n);
    }
}

#[test]
fn with_function_errors() {
    let n = parse("arn:aws:lambda:us-west-2:123456789012:function:orders");
    assert_eq!(n.with_function(""), Err(NameError::Empty));
    assert_eq!(
        n.with_function("a:b"),
        Err(NameError::InvalidCharacter {
            found: ':',
            position: 1,
            part: NamePart::Function
        })
    );
    assert_eq!(
        n.with_function(&"a".repeat(65)),
        Err(NameError::FunctionTooLong { len: 65, max: 64 })
    );
    // A function named like a region would be read as a region prefix.
    assert_eq!(
        parse("orders:prod").with_function("us-west-2"),
        Err(NameError::Ambiguous {
            name: "us-west-2:prod".into()
        })
    );
    // Overall length is re-checked.
    let long = parse(&format!(
        "arn:aws{}:lambda:us-west-2:123456789012:function:f:{}",
        "x".repeat(17),
        "q".repeat(128)
    ));
    assert_eq!(
        long.with_function(&"f".repeat(64)),
        Err(NameError::TooLong { len: 257, max: 256 })
    );
}

#[test]
fn qualifier_rewrites() {
    for (input, bare) in [
        ("orders", "orders"),
        ("orders:prod", "orders"),
        ("orders:$LATEST.PUBLISHED", "orders"),
        (
            "arn:aws-cn:lambda:cn-north-1:123456789012:function:orders:3",
            "arn:aws-cn:lambda:cn-north-1:123456789012:function:orders",
        ),
        ("us-west-2:$LATEST", "us-west-2"),
        ("123456789012:function:f:v1", "123456789012:function:f"),
    ] {
        let n = parse(input);
        let b = n.without_qualifier();
        assert_eq!(b.as_str(), bare);
        assert_eq!(b, parse(bare));
        assert_eq!(b.qualifier(), None);
        assert_eq!(b.function(), n.function());
        for q in ["$LATEST", "$LATEST.PUBLISHED", "12", "live"] {
            let w = n.with_qualifier(q);
            if input == "us-west-2:$LATEST" && q != "$LATEST" && q != "$LATEST.PUBLISHED" {
                // `us-west-2:12` reads as function `12` in region `us-west-2`.
                assert_eq!(
                    w,
                    Err(NameError::Ambiguous {
                        name: format!("us-west-2:{q}")
                    })
                );
                continue;
            }
            let w = w.unwrap();
            assert_eq!(w.as_str(), format!("{bare}:{q}"));
            assert_eq!(w.qualifier(), Some(q));
            assert_eq!(w.function(), n.function());
            assert_eq!(w.kind(), n.kind());
            assert_eq!(w.without_qualifier(), b);
            assert_eq!(w, parse(w.as_str()));
        }
    }
    let n = parse("orders");
    assert_eq!(n.with_qualifier(""), Err(NameError::EmptyQualifier));
    assert_eq!(
        n.with_qualifier("$NOPE"),
        Err(NameError::InvalidQualifier {
            qualifier: "$NOPE".into()
        })
    );
    let long = parse(&format!(
        "arn:aws{}:lambda:us-west-2:123456789012:function:{}",
        "x".repeat(17),
        "f".repeat(64)
    ));
    assert_eq!(
        long.with_qualifier(&"q".repeat(128)),
        Err(NameError::TooLong { len: 257, max: 256 })
    );
}

#[test]
fn messages_are_specific() {
    let cases: Vec<(NameError, &str)> = vec![
        (NameError::Empty, "the function name is empty"),
        (NameError::TooLong { len: 300, max: 256 }, "300 characters"),
        (
            NameError::FunctionTooLong { len: 70, max: 64 },
            "is 70 characters long; a function name is at most 64 characters of ASCII letters, digits, `-` and `_`",
        ),
        (
            err("my func"),
            "invalid character ` ` at position 2 (counting from 0) in the function name",
        ),
        (err("f\n"), "invalid character `\\n`"),
        (
            err("arn:aws:s3:us-west-2:123456789012:function:f"),
            "service is not `lambda`",
        ),
        (
            err("arn:gcp:lambda:us-west-2:123456789012:function:f"),
            "`gcp` is not a valid ARN partition",
        ),
        (
            err("arn:aws:lambda:mars-1:123456789012:function:f"),
            "`mars-1` is not a valid AWS region",
        ),
        (
            err("arn:aws:lambda:us-west-2:123:function:f"),
            "`123` is not a valid AWS account ID; an account ID is exactly 12 digits",
        ),
        (NameError::EmptyQualifier, "the qualifier is empty"),
        (
            NameError::QualifierTooLong { len: 129, max: 128 },
            "129 characters long; a qualifier is at most 128",
        ),
        (err("f:$FOO"), "`$FOO` is not a valid qualifier"),
        (
            NameError::QualifierMismatch {
                in_name: "a".into(),
                given: "b".into(),
            },
            "has the qualifier `a` but the qualifier `b` was also given",
        ),
        (
            NameError::Ambiguous {
                name: "us-west-2:v1".into(),
            },
            "`us-west-2:v1` would not be read as intended",
        ),
    ];
    for (e, needle) in cases {
        let msg = e.to_string();
        assert!(msg.contains(needle), "{msg:?} should contain {needle:?}");
        assert!(!msg.ends_with('.'), "{msg:?}");
    }
    let e: Box<dyn std::error::Error> = Box::new(NameError::Empty);
    assert!(e.source().is_none());
    assert_eq!(NamePart::Account.to_string(), "account ID");
}
