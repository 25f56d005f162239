//! Function-valued term maps (RML-FNML), compiled once against the function table: the function
//! is looked up and each input compiled, so a record only evaluates inputs and calls.

use oxigraph::model::Term;

use super::EngineError;
use super::terms::CompiledTermMap;
use crate::pipeline::mapping::functions::{self, CallContext, FunctionDef, Inputs};
use crate::pipeline::mapping::model::{Expression, FunctionExecution, TermMap};
use crate::pipeline::payload::{Record, Value};

#[derive(Debug, Clone)]
pub struct CompiledFunction {
    function: &'static FunctionDef,
    inputs: Vec<(String, CompiledTermMap)>,
    place: String,
    context: CallContext,
}

/// `place` names the term map in errors (the function error names the function itself).
pub fn compile(
    execution: &FunctionExecution,
    context: CallContext,
    place: String,
    compile: &mut dyn FnMut(&TermMap, &str) -> Result<CompiledTermMap, EngineError>,
) -> Result<CompiledFunction, EngineError> {
    let Expression::Constant(Term::NamedNode(iri)) = &execution.function.expression else {
        return Err(EngineError::Unsupported(
            "a function chosen per record (rml:functionMap that is not a constant)".into(),
        ));
    };
    let function = functions::lookup(iri.as_str()).ok_or_else(|| EngineError::Function {
        place: "function execution".into(),
        message: format!("unknown function <{}>", iri.as_str()),
    })?;
    let mut inputs = Vec::new();
    for input in &execution.inputs {
        let value = compile(
            &input.value,
            &format!("input <{}>", input.parameter.as_str()),
        )?;
        inputs.push((input.parameter.as_str().to_owned(), value));
    }
    Ok(CompiledFunction {
        function,
        inputs,
        place,
        context,
    })
}

impl CompiledFunction {
    pub fn call<'r>(
        &self,
        record: &'r dyn Record,
        out: &mut Vec<Value<'r>>,
    ) -> Result<(), EngineError> {
        let mut inputs = Inputs::new(self.function).with_context(self.context);
        for (parameter, map) in &self.inputs {
            let mut values = Vec::new();
            map.values(record, &mut values)?;
            inputs.add(parameter, values).map_err(|e| self.error(e))?;
        }
        let output = inputs.call().map_err(|e| self.error(e))?;
        out.extend(output.values);
        Ok(())
    }

    fn error(&self, error: functions::FunctionError) -> EngineError {
        EngineError::Function {
            place: self.place.clone(),
            message: error.to_string(),
        }
    }
}
