//! The validator: focus nodes from each shape's targets, value nodes from its path, then each
//! constraint in `constraints.rs`. Nested shapes (`sh:node`, `sh:not`, logical, qualified) are
//! checked for conformance with early exit and memoised per (shape, node). A (shape, node) pair
//! met again while it is being validated, or nesting past `MAX_DEPTH`, is taken as conforming,
//! so recursive shapes terminate on any data; answers that rest on the recursion assumption are
//! not memoised (those cut by depth are, so shared shapes nested deeply stay linear).
//! It reads the data only through [`DataGraph`] and never writes.

mod constraints;

use super::data::{self, DataGraph};
use super::model::{Shape, ShapeId, Shapes, Target};
use super::report::{ValidationReport, ValidationResult};
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{NamedNodeRef, Term};
use oxigraph::sparql::CancellationToken;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// Validates `data` against every shape with targets.
pub fn validate<D: DataGraph + ?Sized>(
    shapes: &Shapes,
    data: &D,
) -> Result<ValidationReport, D::Error> {
    let never = CancellationToken::new();
    let report = validate_until(shapes, data, &never)?;
    Ok(report.unwrap_or_else(|| ValidationReport::from_results(Vec::new())))
}

/// Like `validate`, checking `stop` before each focus node: `None` once it is cancelled.
pub fn validate_until<D: DataGraph + ?Sized>(
    shapes: &Shapes,
    data: &D,
    stop: &CancellationToken,
) -> Result<Option<ValidationReport>, D::Error> {
    let mut engine = Engine::new(shapes, data);
    let mut results = Vec::new();
    for (i, shape) in shapes.shapes.iter().enumerate() {
        if shape.deactivated || shape.targets.is_empty() {
            continue;
        }
        for focus in engine.focus_nodes(shape)? {
            if stop.is_cancelled() {
                return Ok(None);
            }
            engine.validate_shape(ShapeId(i), &focus, &mut results, false)?;
        }
    }
    Ok(Some(ValidationReport::from_results(results)))
}

/// Nested validations deeper than this are taken as conforming, so a long chain of recursive
/// shapes over the data cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

struct Engine<'a, D: ?Sized> {
    shapes: &'a Shapes,
    data: &'a D,
    /// (shape, node) pairs being validated, outermost first.
    in_progress: HashSet<(ShapeId, Term)>,
    conforms: HashMap<(ShapeId, Term), bool>,
    /// Whether an answer since the last reset assumed conformance of a pair met recursively.
    assumed: bool,
    superclasses: HashMap<Term, Rc<HashSet<Term>>>,
}

impl<'a, D: DataGraph + ?Sized> Engine<'a, D> {
    fn new(shapes: &'a Shapes, data: &'a D) -> Self {
        Self {
            shapes,
            data,
            in_progress: HashSet::new(),
            conforms: HashMap::new(),
            assumed: false,
            superclasses: HashMap::new(),
        }
    }

    /// The focus nodes of `shape`'s targets, each once.
    fn focus_nodes(&mut self, shape: &Shape) -> Result<Vec<Term>, D::Error> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        let mut add = |t: Term| {
            if seen.insert(t.clone()) {
                out.push(t);
            }
        };
        for target in &shape.targets {
            match target {
                Target::Node(t) => add(t.clone()),
                Target::Class(c) => {
                    for class in self.subclasses(&c.clone().into())? {
                        for i in data::subjects(self.data, rdf::TYPE, class.as_ref())? {
                            add(i);
                        }
                    }
                }
                Target::SubjectsOf(p) => {
                    let mut found = Vec::new();
                    self.data
                        .for_each_triple(None, Some(p.as_ref()), None, &mut |t| {
                            found.push(Term::from(t.subject.into_owned()));
                        })?;
                    found.into_iter().for_each(&mut add);
                }
                Target::ObjectsOf(p) => {
                    let mut found = Vec::new();
                    self.data
                        .for_each_triple(None, Some(p.as_ref()), None, &mut |t| {
                            found.push(t.object.into_owned());
                        })?;
                    found.into_iter().for_each(&mut add);
                }
            }
        }
        Ok(out)
    }

    /// Validates `focus` against shape `id`, pushing results to `out`; with `early`, stops at
    /// the first result (a conformance check).
    fn validate_shape(
        &mut self,
        id: ShapeId,
        focus: &Term,
        out: &mut Vec<ValidationResult>,
        early: bool,
    ) -> Result<(), D::Error> {
        let shapes = self.shapes;
        let Some(shape) = shapes.shape(id) else {
            return Ok(());
        };
        if shape.deactivated {
            return Ok(());
        }
        let key = (id, focus.clone());
        if self.in_progress.len() >= MAX_DEPTH {
            // Too deep: taken as conforming. Answers above this one may be memoised: the cut
            // is the same wherever the pair is met, and re-checking a long chain of shared
            // shapes (`sh:and (X X)` nested past the limit) would double the work per level.
            return Ok(());
        }
        if !self.in_progress.insert(key.clone()) {
            // Recursion (this very pair is being validated further up): assume it conforms,
            // and memoise nothing that rests on the assumption.
            self.assumed = true;
            return Ok(());
        }
        let outcome = self.check_all(shape, focus, out, early);
        self.in_progress.remove(&key);
        outcome
    }

    fn check_all(
        &mut self,
        shape: &Shape,
        focus: &Term,
        out: &mut Vec<ValidationResult>,
        early: bool,
    ) -> Result<(), D::Error> {
        let values = match &shape.path {
            Some(path) => path.values(self.data, focus)?,
            None => vec![focus.clone()],
        };
        for constraint in &shape.constraints {
            self.check(shape, constraint, focus, &values, out, early)?;
            if early && !out.is_empty() {
                break;
            }
        }
        Ok(())
    }

    /// Whether `node` conforms to shape `id` (no result of any severity).
    fn conforms(&mut self, node: &Term, id: ShapeId) -> Result<bool, D::Error> {
        let key = (id, node.clone());
        if let Some(known) = self.conforms.get(&key) {
            return Ok(*known);
        }
        let outer_assumed = std::mem::replace(&mut self.assumed, false);
        let mut found = Vec::new();
        self.validate_shape(id, node, &mut found, true)?;
        let conforms = found.is_empty();
        if !self.assumed {
            self.conforms.insert(key, conforms);
        }
        self.assumed |= outer_assumed;
        Ok(conforms)
    }

    /// `class` and every class below it (`^rdfs:subClassOf*`).
    fn subclasses(&self, class: &Term) -> Result<Vec<Term>, D::Error> {
        let mut out = vec![class.clone()];
        let mut seen: HashSet<Term> = out.iter().cloned().collect();
        let mut i = 0;
        while let Some(c) = out.get(i).cloned() {
            i += 1;
            for sub in data::subjects(self.data, rdfs::SUB_CLASS_OF, c.as_ref())? {
                if seen.insert(sub.clone()) {
                    out.push(sub);
                }
            }
        }
        Ok(out)
    }

    /// `class` and every class above it (`rdfs:subClassOf*`), cached.
    fn superclasses(&mut self, class: &Term) -> Result<Rc<HashSet<Term>>, D::Error> {
        if let Some(known) = self.superclasses.get(class) {
            return Ok(Rc::clone(known));
        }
        let mut seen: HashSet<Term> = HashSet::from([class.clone()]);
        let mut queue = vec![class.clone()];
        while let Some(c) = queue.pop() {
            for sup in data::objects(self.data, c.as_ref(), rdfs::SUB_CLASS_OF)? {
                if seen.insert(sup.clone()) {
                    queue.push(sup);
                }
            }
        }
        let set = Rc::new(seen);
        self.superclasses.insert(class.clone(), Rc::clone(&set));
        Ok(set)
    }

    /// Whether `node` is a SHACL instance of `class` in the data graph.
    fn is_instance(&mut self, node: &Term, class: &Term) -> Result<bool, D::Error> {
        for t in data::objects(self.data, node.as_ref(), rdf::TYPE)? {
            if self.superclasses(&t)?.contains(class) {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// A result of `shape` at `focus`.
fn result(
    shape: &Shape,
    focus: &Term,
    value: Option<Term>,
    component: NamedNodeRef<'_>,
) -> ValidationResult {
    ValidationResult {
        focus_node: focus.clone(),
        result_path: shape.path.clone(),
        value,
        source_shape: shape.node.clone(),
        source_constraint_component: component.into_owned(),
        severity: shape.severity.clone(),
        messages: shape.messages.clone(),
    }
}
