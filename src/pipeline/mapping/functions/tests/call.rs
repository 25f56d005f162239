//! Calls: absent and several values, missing and unknown parameters, the combination limit.

use super::*;

#[test]
fn absent_values_give_no_value_and_several_values_give_one_value_per_combination() {
    let upper = call("grel:toUpperCase", &[("grel:valueParameter", &[])]);
    assert_eq!(upper, Ok(vec![]));
    let joined = call(
        "idlab:concat",
        &[("idlab:str", &["a", "b"]), ("idlab:otherStr", &["1", "2"])],
    );
    let texts: Vec<String> = joined
        .unwrap_or_default()
        .into_iter()
        .map(|(text, _)| text)
        .collect();
    assert_eq!(texts, ["a1", "a2", "b1", "b2"]);
}

#[test]
fn a_call_without_a_required_parameter_or_with_an_unknown_one_fails() {
    assert!(matches!(
        call("grel:string_replace", &[("grel:valueParameter", &["x"])]),
        Err(FunctionError::MissingParameter { .. })
    ));
    assert!(matches!(
        call("grel:toUpperCase", &[("grel:valueParameter2", &["x"])]),
        Err(FunctionError::UnknownParameter { .. })
    ));
}

#[test]
fn too_many_combinations_fail_instead_of_exploding() {
    let many: Vec<String> = (0..200).map(|n| n.to_string()).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    let result = call(
        "idlab:concat",
        &[("idlab:str", &many), ("idlab:otherStr", &many)],
    );
    assert!(matches!(
        result,
        Err(FunctionError::TooManyCombinations { count: 40_000, .. })
    ));
}
