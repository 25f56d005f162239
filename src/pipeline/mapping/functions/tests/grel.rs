//! GREL functions (dates are in `date`).

use super::*;

#[test]
fn each_function_computes_what_grel_computes() {
    use ValueKind::{Boolean, Double, Integer};
    let v = "grel:valueParameter";
    check_computes(vec![
        ("grel:toUpperCase", vec![(v, &["Venus é"])], s("VENUS É")),
        (
            "grel:toUpperCase",
            vec![("grel:valueParam", &["Name: Venus"])],
            s("NAME: VENUS"),
        ),
        ("grel:toLowerCase", vec![(v, &["VeNuS"])], s("venus")),
        (
            "grel:string_toTitlecase",
            vec![(v, &["hello WORLD  again"])],
            s("Hello World  Again"),
        ),
        ("grel:string_trim", vec![(v, &["  x y \n"])], s("x y")),
        (
            "grel:string_length",
            vec![(v, &["Venus"])],
            kind("5", Integer),
        ),
        ("grel:string_length", vec![(v, &["né"])], kind("2", Integer)),
        (
            "grel:string_replace",
            vec![
                (v, &["M Venus"]),
                ("grel:param_find", &[" "]),
                ("grel:param_replace", &["-"]),
            ],
            s("M-Venus"),
        ),
        (
            "grel:string_replace",
            vec![
                (v, &["a.b.c"]),
                ("grel:p_string_find", &["."]),
                ("grel:p_string_replace", &[""]),
            ],
            s("abc"),
        ),
        (
            "grel:string_substring",
            vec![(v, &["Venus"]), ("grel:p_int_i_from", &["5"])],
            s(""),
        ),
        (
            "grel:string_substring",
            vec![(v, &["Venus"]), ("grel:p_int_i_from", &["0"])],
            s("Venus"),
        ),
        (
            "grel:string_substring",
            vec![
                (v, &["Venus"]),
                ("grel:param_int_i_from", &["1"]),
                ("grel:param_int_i_opt_to", &["3"]),
            ],
            s("en"),
        ),
        (
            "grel:string_substring",
            vec![
                (v, &["Venus"]),
                ("grel:p_int_i_from", &["-3"]),
                ("grel:p_int_i_opt_to", &["99"]),
            ],
            s("nus"),
        ),
        (
            "grel:string_substring",
            vec![(v, &["Venus"]), ("grel:p_int_i_from", &["9"])],
            s(""),
        ),
        (
            "grel:escape",
            vec![(v, &["A&B"]), ("grel:modeParam", &["html"])],
            s("A&amp;B"),
        ),
        (
            "grel:escape",
            vec![(v, &["<a href=\"x\">'"]), ("grel:modeParameter", &["html"])],
            s("&lt;a href=&quot;x&quot;&gt;'"),
        ),
        (
            "grel:escape",
            vec![(v, &["'&'"]), ("grel:modeParameter", &["xml"])],
            s("&apos;&amp;&apos;"),
        ),
        (
            "grel:escape",
            vec![(v, &["a b/é~"]), ("grel:modeParameter", &["url"])],
            s("a+b%2F%C3%A9%7E"),
        ),
        (
            "grel:escape",
            vec![(v, &["a,\"b\""]), ("grel:modeParameter", &["csv"])],
            s("\"a,\"\"b\"\"\""),
        ),
        (
            "grel:escape",
            vec![(v, &["plain"]), ("grel:modeParameter", &["csv"])],
            s("plain"),
        ),
        (
            "grel:escape",
            vec![
                (v, &["say \"hi\"\n"]),
                ("grel:modeParameter", &["javascript"]),
            ],
            s("say \\\"hi\\\"\\n"),
        ),
        (
            "grel:string_contains",
            vec![(v, &["Venus"]), ("grel:string_sub", &["nu"])],
            kind("true", Boolean),
        ),
        (
            "grel:string_contains",
            vec![(v, &["Venus"]), ("grel:param_string_sub", &["x"])],
            kind("false", Boolean),
        ),
        (
            "grel:string_startsWith",
            vec![(v, &["Venus"]), ("grel:string_sub", &["Ve"])],
            kind("true", Boolean),
        ),
        (
            "grel:string_endsWith",
            vec![(v, &["Venus"]), ("grel:string_sub", &["Ve"])],
            kind("false", Boolean),
        ),
        (
            "grel:string_chomp",
            vec![(v, &["file.csv"]), ("grel:p_string_sep", &[".csv"])],
            s("file"),
        ),
        (
            "grel:string_concat",
            vec![
                (v, &["a"]),
                ("grel:valueParameter2", &["b"]),
                ("grel:p_string_sep", &["-"]),
            ],
            s("a-b"),
        ),
        (
            "grel:string_toNumber",
            vec![("grel:p_any_e", &[" 42 "])],
            kind("42", Integer),
        ),
        (
            "grel:string_toNumber",
            vec![("grel:p_any_e", &["2.5"])],
            kind("2.5", Double),
        ),
        (
            "grel:string_toString",
            vec![("grel:p_any_e", &["7"])],
            s("7"),
        ),
        (
            "grel:boolean_not",
            vec![("grel:bool_b", &["true"])],
            kind("false", Boolean),
        ),
        (
            "grel:boolean_and",
            vec![("grel:param_rep_b", &["true", "TRUE"])],
            kind("true", Boolean),
        ),
        (
            "grel:boolean_and",
            vec![("grel:param_rep_b", &["true", "false"])],
            kind("false", Boolean),
        ),
        (
            "grel:boolean_or",
            vec![("grel:bool_array_b", &["false", "true"])],
            kind("true", Boolean),
        ),
        (
            "grel:boolean_or",
            vec![("grel:bool_array_b", &[])],
            kind("false", Boolean),
        ),
        (
            "grel:boolean_xor",
            vec![("grel:param_rep_b", &["true", "true", "true"])],
            kind("true", Boolean),
        ),
        (
            "grel:controls_if",
            vec![
                ("grel:bool_b", &["false"]),
                ("grel:any_true", &["yes"]),
                ("grel:any_false", &["no"]),
            ],
            s("no"),
        ),
        (
            "grel:controls_if",
            vec![("grel:bool_b", &["false"]), ("grel:any_true", &["yes"])],
            vec![],
        ),
        (
            "grel:array_join",
            vec![
                ("grel:p_array_a", &["a", "b", "c"]),
                ("grel:p_string_sep", &[", "]),
            ],
            s("a, b, c"),
        ),
        (
            "grel:array_length",
            vec![("grel:p_array_a", &["a", "b"])],
            kind("2", Integer),
        ),
        (
            "grel:math_floor",
            vec![("grel:p_dec_n", &["2.7"])],
            kind("2", Integer),
        ),
        (
            "grel:math_ceil",
            vec![("grel:p_dec_n", &["2.1"])],
            kind("3", Integer),
        ),
        (
            "grel:math_round",
            vec![("grel:p_dec_n", &["-2.5"])],
            kind("-2", Integer),
        ),
        (
            "grel:math_round",
            vec![("grel:p_dec_n", &["2.5"])],
            kind("3", Integer),
        ),
        (
            "grel:math_min",
            vec![("grel:p_dec_n", &["2.5"]), ("grel:param_n2", &["1"])],
            kind("1", Integer),
        ),
        (
            "grel:math_max",
            vec![("grel:p_dec_n", &["2.5"]), ("grel:param_n2", &["1"])],
            kind("2.5", Double),
        ),
        (
            "grel:math_mod",
            vec![("grel:p_int_i", &["7"]), ("grel:p_int_i2", &["3"])],
            kind("1", Integer),
        ),
        (
            "grel:math_pow",
            vec![("grel:p_dec_n", &["2"]), ("grel:p_any_exp", &["10"])],
            kind("1024", Integer),
        ),
    ]);
}

#[test]
fn bad_argument_values_are_errors_that_name_the_parameter() {
    check_invalid(vec![
        (
            "grel:string_substring",
            vec![
                ("grel:valueParameter", &["x"]),
                ("grel:p_int_i_from", &["one"]),
            ],
            "p_int_i_from",
        ),
        (
            "grel:escape",
            vec![
                ("grel:valueParameter", &["x"]),
                ("grel:modeParameter", &["rot13"]),
            ],
            "modeParam",
        ),
        (
            "grel:math_mod",
            vec![("grel:p_int_i", &["1"]), ("grel:p_int_i2", &["0"])],
            "param_int_i2",
        ),
        (
            "grel:boolean_not",
            vec![("grel:bool_b", &["maybe"])],
            "param_b",
        ),
    ]);
}

/// `string_split` makes an array, which one function call cannot hand on (one value per call):
/// it is not in the table, so a mapping using it is refused when it is checked, not when it runs.
#[test]
fn string_split_is_an_unknown_function() {
    let iri = "http://users.ugent.be/~bjdmeest/function/grel.ttl#string_split";
    assert!(crate::pipeline::mapping::functions::lookup(iri).is_none());
    let problems = crate::pipeline::mapping::functions::check_call(
        iri,
        ["http://users.ugent.be/~bjdmeest/function/grel.ttl#valueParameter"],
        None,
    );
    assert!(matches!(
        problems.as_slice(),
        [crate::pipeline::mapping::functions::FunctionError::UnknownFunction { .. }]
    ));
}
