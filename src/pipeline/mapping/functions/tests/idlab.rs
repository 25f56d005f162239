//! IDLab functions (dates are in `date`).

use super::*;

#[test]
fn each_function_computes_what_idlab_computes() {
    use ValueKind::Boolean;
    let v = "grel:valueParameter";
    check_computes(vec![
        (
            "idlab:equal",
            vec![(v, &["A"]), ("grel:valueParameter2", &["A"])],
            kind("true", Boolean),
        ),
        (
            "idlab:equal",
            vec![("grel:valueParam", &["A"]), ("grel:valueParam2", &["B"])],
            kind("false", Boolean),
        ),
        (
            "idlab:notEqual",
            vec![(v, &["A"]), ("grel:valueParameter2", &["B"])],
            kind("true", Boolean),
        ),
        (
            "idlab:trueCondition",
            vec![("idlab:strBoolean", &["true"]), ("idlab:str", &["x"])],
            s("x"),
        ),
        (
            "idlab:trueCondition",
            vec![("idlab:strBoolean", &["false"]), ("idlab:str", &["x"])],
            vec![],
        ),
        (
            "idlab:isNull",
            vec![("idlab:str", &[])],
            kind("true", Boolean),
        ),
        (
            "idlab:isNull",
            vec![("idlab:str", &["x"])],
            kind("false", Boolean),
        ),
        (
            "idlab:isNotNull",
            vec![("idlab:_str", &["x"])],
            kind("true", Boolean),
        ),
        (
            "idlab:stringContainsOtherString",
            vec![
                ("idlab:str", &["Venus and Mars"]),
                ("idlab:otherStr", &["Pluto;Mars"]),
                ("idlab:delimiter", &[";"]),
            ],
            kind("true", Boolean),
        ),
        (
            "idlab:stringContainsOtherString",
            vec![
                ("idlab:str", &["Venus"]),
                ("idlab:otherStr", &["Pluto;Mars"]),
                ("idlab:delimiter", &[";"]),
            ],
            kind("false", Boolean),
        ),
        (
            "idlab:listContainsElement",
            vec![("idlab:list", &["a", "b"]), ("idlab:str", &["b"])],
            kind("true", Boolean),
        ),
        (
            "idlab:toUpperCaseURL",
            vec![("idlab:str", &["http://example.com/venus"])],
            s("HTTP://EXAMPLE.COM/VENUS"),
        ),
        (
            "idlab:toUpperCaseURL",
            vec![("idlab:str", &["www.example.com"])],
            s("http://WWW.EXAMPLE.COM"),
        ),
        ("idlab:toLowerCase", vec![("idlab:str", &["ABC"])], s("abc")),
        (
            "idlab:concat",
            vec![("idlab:str", &["a"]), ("idlab:otherStr", &["b"])],
            s("ab"),
        ),
        ("idlab:alwaysReturnsABC", vec![], s("ABC")),
        (
            "idlab:inRange",
            vec![
                ("idlab:p_test", &["5"]),
                ("idlab:p_from", &["1"]),
                ("idlab:p_to", &["5"]),
            ],
            kind("false", Boolean),
        ),
        (
            "idlab:inRange",
            vec![("idlab:p_test", &["1"]), ("idlab:p_from", &["1"])],
            kind("true", Boolean),
        ),
    ]);
}
