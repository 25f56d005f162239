//! Parameters and outputs, as the FnO descriptions (RMLMapper's functions_grel.ttl and
//! functions_idlab.ttl) name them: the resource first, then its fno:predicate.

use super::{Args, Arity, FunctionDef, FunctionError, OutputDef, ParameterDef};
use crate::pipeline::payload::Value;

pub(super) const fn one(iri: &'static str, aliases: &'static [&'static str]) -> ParameterDef {
    ParameterDef {
        iri,
        aliases,
        required: true,
        arity: Arity::One,
    }
}

pub(super) const fn optional(iri: &'static str, aliases: &'static [&'static str]) -> ParameterDef {
    ParameterDef {
        iri,
        aliases,
        required: false,
        arity: Arity::One,
    }
}

pub(super) const fn list(iri: &'static str, aliases: &'static [&'static str]) -> ParameterDef {
    ParameterDef {
        iri,
        aliases,
        required: true,
        arity: Arity::List,
    }
}

pub(super) const VALUE: ParameterDef = one(grel!("valueParam"), &[grel!("valueParameter")]);
pub(super) const VALUE2: ParameterDef = one(grel!("valueParam2"), &[grel!("valueParameter2")]);
pub(super) const FIND: ParameterDef = one(grel!("param_find"), &[grel!("p_string_find")]);
pub(super) const REPLACE: ParameterDef = one(grel!("param_replace"), &[grel!("p_string_replace")]);
pub(super) const FROM: ParameterDef = one(grel!("p_int_i_from"), &[grel!("param_int_i_from")]);
pub(super) const OPT_TO: ParameterDef =
    optional(grel!("p_int_i_opt_to"), &[grel!("param_int_i_opt_to")]);
pub(super) const MODE: ParameterDef = one(grel!("modeParam"), &[grel!("modeParameter")]);
pub(super) const SUB: ParameterDef = one(grel!("param_string_sub"), &[grel!("string_sub")]);
pub(super) const SEP: ParameterDef = one(grel!("param_string_sep"), &[grel!("p_string_sep")]);
pub(super) const OPT_SEP: ParameterDef =
    optional(grel!("param_string_sep"), &[grel!("p_string_sep")]);
pub(super) const BOOL: ParameterDef = one(grel!("param_b"), &[grel!("bool_b")]);
pub(super) const BOOLS: ParameterDef = list(grel!("bool_array_b"), &[grel!("param_rep_b")]);
pub(super) const ARRAY: ParameterDef = list(grel!("param_a"), &[grel!("p_array_a")]);
pub(super) const DEC_N: ParameterDef = one(grel!("param_dec_n"), &[grel!("p_dec_n")]);
pub(super) const DEC_N2: ParameterDef = one(grel!("param_dec_n2"), &[grel!("param_n2")]);
pub(super) const DEC_EXP: ParameterDef = one(grel!("param_dec_n_exp"), &[grel!("p_any_exp")]);
pub(super) const INT_I: ParameterDef = one(grel!("param_int_i"), &[grel!("p_int_i")]);
pub(super) const INT_I2: ParameterDef = one(grel!("param_int_i2"), &[grel!("p_int_i2")]);
pub(super) const ANY_E: ParameterDef = one(grel!("param_any_e"), &[grel!("p_any_e")]);
pub(super) const IF_TRUE: ParameterDef = one(grel!("param_true"), &[grel!("any_true")]);
pub(super) const IF_FALSE: ParameterDef = optional(grel!("param_false"), &[grel!("any_false")]);
pub(super) const PATTERN: ParameterDef =
    one(grel!("param_string_pattern"), &[grel!("p_string_pattern")]);

pub(super) const STR: ParameterDef = one(idlab!("_str"), &[idlab!("str")]);
pub(super) const OTHER_STR: ParameterDef = one(idlab!("_otherStr"), &[idlab!("otherStr")]);
pub(super) const DELIMITER: ParameterDef = one(idlab!("_delimiter"), &[idlab!("delimiter")]);
pub(super) const OPT_DELIMITER: ParameterDef =
    optional(idlab!("_delimiter"), &[idlab!("delimiter")]);
pub(super) const STR_BOOLEAN: ParameterDef = one(idlab!("_strBoolean"), &[idlab!("strBoolean")]);
pub(super) const LIST: ParameterDef = list(idlab!("_list"), &[idlab!("list")]);
pub(super) const STR_DATE: ParameterDef = one(idlab!("_strDate"), &[idlab!("strDate")]);
pub(super) const DATE_PATTERN: ParameterDef = one(idlab!("_pattern"), &[idlab!("pattern")]);
pub(super) const TEST: ParameterDef = one(idlab!("_test"), &[idlab!("p_test")]);
pub(super) const RANGE_FROM: ParameterDef = optional(idlab!("_from"), &[idlab!("p_from")]);
pub(super) const RANGE_TO: ParameterDef = optional(idlab!("_to"), &[idlab!("p_to")]);

pub(super) const STRING_OUT: &[OutputDef] = &[OutputDef {
    iri: grel!("stringOut"),
    aliases: &[grel!("stringOutput")],
}];
pub(super) const NUMBER_OUT: &[OutputDef] = &[OutputDef {
    iri: grel!("output_number"),
    aliases: &[grel!("o_number")],
}];
pub(super) const BOOL_OUT: &[OutputDef] = &[OutputDef {
    iri: grel!("output_bool"),
    aliases: &[grel!("o_bool")],
}];
pub(super) const ANY_OUT: &[OutputDef] = &[OutputDef {
    iri: grel!("output_any"),
    aliases: &[grel!("o_any")],
}];
pub(super) const DATE_OUT: &[OutputDef] = &[OutputDef {
    iri: grel!("output_date"),
    aliases: &[grel!("o_date")],
}];
pub(super) const IDLAB_STRING_OUT: &[OutputDef] = &[OutputDef {
    iri: idlab!("_stringOut"),
    aliases: &[idlab!("stringOut")],
}];
pub(super) const IDLAB_BOOL_OUT: &[OutputDef] = &[OutputDef {
    iri: idlab!("_boolOut"),
    aliases: &[idlab!("o_boolOut")],
}];
/// `idlab-fn:equal` is described with `grel:stringOut` but used with `idlab-fn:_boolOut`.
pub(super) const EQUAL_OUT: &[OutputDef] = &[
    OutputDef {
        iri: idlab!("_boolOut"),
        aliases: &[idlab!("o_boolOut")],
    },
    OutputDef {
        iri: grel!("stringOut"),
        aliases: &[grel!("stringOutput")],
    },
];

pub(super) const fn def(
    iri: &'static str,
    parameters: &'static [ParameterDef],
    outputs: &'static [OutputDef],
    call: fn(&Args<'_>) -> Result<Option<Value<'static>>, FunctionError>,
) -> FunctionDef {
    FunctionDef {
        iri,
        parameters,
        outputs,
        call,
    }
}

pub(super) type Call = Result<Option<Value<'static>>, FunctionError>;
