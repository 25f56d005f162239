//! YARRRML sources -> logical sources: the `[path~formulation, iterator]` shorthand, the long
//! form (`access`, `referenceFormulation`, `iterator`, `delimiter`), database sources (`type`,
//! `credentials`, `query`, `queryFormulation`, `table`) and R2RML logical tables. citykg's own
//! long-form key `optionalColumns: [P1, P2]` is RML's `citykg:optionalColumn`: CSV columns the
//! file may lack (camelCase like the other long-form keys).

use super::YarrrmlTarget;
use super::terms::Ctx;
use super::yaml::Node;
use crate::pipeline::mapping::model::{
    DatabaseSource, LogicalSource, ReferenceFormulation, Source,
};
use crate::pipeline::payload::source::{CsvDialect, FileSource, SourceRoot};

const RR: &str = "http://www.w3.org/ns/r2rml#";

/// The logical source a mapping's `sources` entry stands for; `named` are the document's sources.
pub(super) fn logical_source(
    ctx: &mut Ctx<'_>,
    entry: &Node,
    named: &[(&str, &Node)],
) -> Option<LogicalSource> {
    if let Some(name) = entry.as_str() {
        return match named.iter().find(|(key, _)| *key == name) {
            Some((_, node)) => logical_source(ctx, node, &[]),
            None if name.contains('~') => shorthand(ctx, &[entry]),
            None => {
                ctx.problem(entry, format!("unknown source `{name}`"));
                None
            }
        };
    }
    match &entry.value {
        super::yaml::Value::Seq(items) => shorthand(ctx, &items.iter().collect::<Vec<_>>()),
        super::yaml::Value::Map(_) => long_form(ctx, entry),
        _ => {
            ctx.problem(entry, "a source must be a name, a list or a mapping");
            None
        }
    }
}

/// `[path~formulation]` or `[path~formulation, iterator]`.
fn shorthand(ctx: &mut Ctx<'_>, items: &[&Node]) -> Option<LogicalSource> {
    let first = items.first()?;
    let text = ctx.text(first, "a source's access")?;
    let Some((access, formulation)) = text.split_once('~') else {
        ctx.problem(
            first,
            format!(
                "source `{text}` has no reference formulation (write `{text}~csv`, `~jsonpath`...)"
            ),
        );
        return None;
    };
    let iterator = match items.get(1) {
        Some(node) => Some(ctx.text(node, "a source's iterator")?.to_owned()),
        None => None,
    };
    Some(LogicalSource {
        source: file(access, CsvDialect::default()),
        reference_formulation: Some(reference_formulation(formulation)),
        iterator,
        null_values: Vec::new(),
    })
}

fn long_form(ctx: &mut Ctx<'_>, node: &Node) -> Option<LogicalSource> {
    let mut field = |key: &str| -> Option<String> {
        let value = node.get(&[key])?;
        ctx.text(value, &format!("source `{key}`"))
            .map(str::to_owned)
    };
    let access = field("access");
    let formulation = field("referenceFormulation");
    let iterator = field("iterator");
    let delimiter = field("delimiter");
    let kind = field("type");
    let query = field("query").map(|query| query.replace('\n', " ").trim().to_owned());
    let table = field("table");
    let query_formulation = field("queryFormulation");
    let optional_columns = optional_columns(ctx, node);
    let reference_formulation = formulation.as_deref().map(reference_formulation);
    let sql_version = query_formulation.as_deref().map(sql_version);
    let is_database =
        kind.is_some() || table.is_some() || ctx.options.target == YarrrmlTarget::R2rml;
    if is_database {
        if !optional_columns.is_empty() {
            ctx.problem(node, "`optionalColumns` applies to CSV file sources only");
        }
        let credentials = node.get(&["credentials"]);
        let mut credential = |key: &str| -> Option<String> {
            let value = credentials?.get(&[key])?;
            ctx.text(value, &format!("credentials `{key}`"))
                .map(str::to_owned)
        };
        let username = credential("username");
        let password = credential("password");
        let driver = kind.as_deref().map(jdbc_driver);
        return Some(LogicalSource {
            source: Source::Database(DatabaseSource {
                dsn: access,
                driver,
                username,
                password,
                table_name: table,
                query,
                sql_version,
            }),
            reference_formulation,
            iterator,
            null_values: Vec::new(),
        });
    }
    let Some(access) = access else {
        ctx.problem(
            node,
            "a source needs `access` (a path) or a database `type`",
        );
        return None;
    };
    let mut dialect = CsvDialect {
        optional_columns,
        ..CsvDialect::default()
    };
    if let Some(delimiter) = delimiter {
        match delimiter_byte(&delimiter) {
            Some(byte) => dialect.delimiter = byte,
            None => ctx.problem(
                node,
                format!("CSV delimiter `{delimiter}` is not one ASCII character"),
            ),
        }
    }
    Some(LogicalSource {
        source: file(&access, dialect),
        reference_formulation,
        iterator,
        null_values: Vec::new(),
    })
}

/// `optionalColumns`: a list of column names (or one name).
fn optional_columns(ctx: &mut Ctx<'_>, node: &Node) -> Vec<String> {
    let Some(columns) = node.get(&["optionalColumns"]) else {
        return Vec::new();
    };
    columns
        .as_list()
        .into_iter()
        .filter_map(|column| ctx.text(column, "an optional column").map(str::to_owned))
        .collect()
}

fn file(path: &str, csv: CsvDialect) -> Source {
    Source::File(FileSource {
        path: path.to_owned(),
        root: SourceRoot::MappingDirectory,
        compression: Default::default(),
        encoding: None,
        csv,
    })
}

/// `\t` (written as two characters, as the reference parser's tests do) is a tab.
fn delimiter_byte(delimiter: &str) -> Option<u8> {
    match delimiter {
        "\\t" => Some(b'\t'),
        _ => match delimiter.as_bytes() {
            [byte] if byte.is_ascii() => Some(*byte),
            _ => None,
        },
    }
}

fn reference_formulation(name: &str) -> ReferenceFormulation {
    match name.to_ascii_lowercase().as_str() {
        "csv" => ReferenceFormulation::Csv,
        "jsonpath" => ReferenceFormulation::JsonPath,
        "xpath" => ReferenceFormulation::XPath {
            namespaces: Vec::new(),
        },
        _ => ReferenceFormulation::Other(name.to_owned()),
    }
}

/// The JDBC driver the reference parser names for a database `type`.
fn jdbc_driver(kind: &str) -> String {
    match kind {
        "mysql" => "com.mysql.cj.jdbc.Driver",
        "postgresql" => "org.postgresql.Driver",
        "sqlserver" => "com.microsoft.sqlserver.jdbc.SQLServerDriver",
        "oracle" => "oracle.jdbc.driver.OracleDriver",
        other => other,
    }
    .to_owned()
}

/// The `rr:sqlVersion` IRI the reference parser writes for a `queryFormulation`; other names are
/// kept as written.
fn sql_version(formulation: &str) -> String {
    let local = match formulation.to_ascii_lowercase().as_str() {
        "sql2008" => "SQL2008",
        "oracle" => "Oracle",
        "mysql" => "MySQL",
        "mssql" => "MSSQLServer",
        "hsql" => "HSQLDB",
        "postgresql" => "PostgreSQL",
        "db2" => "DB2",
        "ingres" => "Ingres",
        "progress" => "Progress",
        "sybasease" => "SybaseASE",
        "sybasesqlanywhere" => "SybaseSQLAnywhere",
        "virtuoso" => "Virtuoso",
        "firebird" => "Firebird",
        _ => return formulation.to_owned(),
    };
    format!("{RR}{local}")
}
