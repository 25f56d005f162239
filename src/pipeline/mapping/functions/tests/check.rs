//! The checker and the table itself.

use super::*;

#[test]
fn the_checker_reports_unknown_functions_parameters_outputs_and_missing_parameters() {
    let grel = |local: &str| format!("{G}{local}");
    let cases: Vec<CheckCase> = vec![
        // RMLFNMLTC0102: an unknown function.
        (
            grel("unknown_func"),
            vec![grel("valueParam")],
            Some(grel("stringOut")),
            vec![FunctionError::UnknownFunction {
                function: grel("unknown_func"),
            }],
        ),
        // RMLFNMLTC0104: an output the function does not have.
        (
            grel("toUpperCase"),
            vec![grel("valueParam")],
            Some(grel("unknownOut")),
            vec![FunctionError::UnknownOutput {
                function: grel("toUpperCase"),
                output: grel("unknownOut"),
            }],
        ),
        // Every problem, not only the first.
        (
            grel("string_replace"),
            vec![grel("valueParameter"), grel("nope")],
            None,
            vec![
                FunctionError::UnknownParameter {
                    function: grel("string_replace"),
                    parameter: grel("nope"),
                },
                FunctionError::MissingParameter {
                    function: grel("string_replace"),
                    parameter: grel("param_find"),
                },
                FunctionError::MissingParameter {
                    function: grel("string_replace"),
                    parameter: grel("param_replace"),
                },
            ],
        ),
        // Optional parameters may be left out; predicates name parameters too.
        (
            grel("string_substring"),
            vec![grel("valueParameter"), grel("p_int_i_from")],
            Some(grel("stringOutput")),
            vec![],
        ),
        (
            grel("string_length"),
            vec![grel("valueParam")],
            Some(grel("output_number")),
            vec![],
        ),
        (
            format!("{I}equal"),
            vec![grel("valueParam"), grel("valueParam2")],
            Some(format!("{I}_boolOut")),
            vec![],
        ),
        (
            format!("{I}alwaysReturnsABC"),
            vec![],
            Some(format!("{I}_stringOut")),
            vec![],
        ),
    ];
    for (function, parameters, output, expected) in cases {
        let problems = check_call(
            &function,
            parameters.iter().map(String::as_str),
            output.as_deref(),
        );
        assert_eq!(problems, expected, "{function}");
    }
}

#[test]
fn the_table_has_one_entry_per_iri_and_no_name_clash_within_a_function() {
    let mut iris: Vec<&str> = all().iter().map(|function| function.iri).collect();
    iris.sort_unstable();
    let before = iris.len();
    iris.dedup();
    assert_eq!(before, iris.len());
    for function in all() {
        let mut names: Vec<&str> = function
            .parameters
            .iter()
            .flat_map(|parameter| {
                std::iter::once(parameter.iri).chain(parameter.aliases.iter().copied())
            })
            .collect();
        names.sort_unstable();
        let count = names.len();
        names.dedup();
        assert_eq!(count, names.len(), "{}", function.iri);
        assert!(!function.outputs.is_empty(), "{}", function.iri);
    }
}
