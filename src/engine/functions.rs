//! Function-valued term maps (RML-FNML), compiled against the function table.

use super::EngineError;
use super::terms::CompiledTermMap;
use crate::mapping::model::{FunctionExecution, TermMap};
use crate::payload::{Record, Value};

#[derive(Debug, Clone)]
pub struct CompiledFunction {
    pub inputs: Vec<CompiledTermMap>,
}

pub fn compile(
    execution: &FunctionExecution,
    _compile: &mut dyn FnMut(&TermMap, &str) -> Result<CompiledTermMap, EngineError>,
) -> Result<CompiledFunction, EngineError> {
    Err(EngineError::Unsupported(format!(
        "function {:?}",
        execution.function.expression
    )))
}

impl CompiledFunction {
    pub fn call<'r>(
        &self,
        _record: &'r dyn Record,
        _out: &mut Vec<Value<'r>>,
    ) -> Result<(), EngineError> {
        Ok(())
    }
}
