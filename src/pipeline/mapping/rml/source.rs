//! Logical sources: legacy `rml:source "file"`, RML-IO source nodes (relative paths, roots,
//! compression, encoding, NULL values), CSVW tables, and database sources kept for conversion;
//! citykg's `citykg:optionalColumn` extension (CSV columns a file may lack).

use oxigraph::model::Term;

use super::doc::{Doc, show};
use super::vocab::{self, rml};
use crate::pipeline::mapping::model::{
    DatabaseSource, LogicalSource, ReferenceFormulation, Source,
};
use crate::pipeline::mapping::{Diagnostic, Location};
use crate::pipeline::payload::source::{Compression, CsvDialect, FileSource, SourceRoot};

pub fn logical_source(
    doc: &Doc<'_>,
    map: &Term,
    at: &Location,
) -> Result<LogicalSource, Diagnostic> {
    let at = &at.clone().with_term_map("logical source");
    let node = match (
        doc.one(map, &rml("logicalSource"), at)?,
        doc.one(map, &rml("logicalTable"), at)?,
    ) {
        (Some(node), _) | (None, Some(node)) => node,
        (None, None) => {
            return Err(Diagnostic::new(
                "the triples map has no logical source; add rml:logicalSource",
                at.clone(),
            ));
        }
    };
    let iterator = doc
        .one_literal(node, &rml("iterator"), at)?
        .map(|l| l.value().to_owned());
    let reference_formulation = match doc.one(node, &rml("referenceFormulation"), at)? {
        None => None,
        Some(formulation) => Some(reference_formulation(doc, formulation, at)?),
    };
    let mut null_values = nulls(doc, node);
    let source = match doc.one(node, &rml("source"), at)? {
        Some(Term::Literal(path)) => Source::File(FileSource {
            path: path.value().to_owned(),
            root: SourceRoot::MappingDirectory,
            compression: Compression::None,
            encoding: None,
            csv: CsvDialect::default(),
        }),
        Some(source) => {
            null_values.extend(nulls(doc, source));
            source_node(doc, source, at)?
        }
        None => database_table(doc, node, at)?,
    };
    let source = with_optional_columns(doc, node, source, at)?;
    let source = match source {
        Source::Database(mut database) => {
            if let Source::Database(table) =
                database_table(doc, node, at).unwrap_or(Source::Other(String::new()))
            {
                database.table_name = database.table_name.or(table.table_name);
                database.query = database.query.or(table.query);
                database.sql_version = database.sql_version.or(table.sql_version);
            }
            Source::Database(database)
        }
        other => other,
    };
    Ok(LogicalSource {
        source,
        reference_formulation,
        iterator,
        null_values,
    })
}

/// `citykg:optionalColumn "P1", "P2"` on the logical source: CSV columns the file may lack.
/// Only a file can have columns; on any other source the extension is a mistake, said here.
fn with_optional_columns(
    doc: &Doc<'_>,
    node: &Term,
    mut source: Source,
    at: &Location,
) -> Result<Source, Diagnostic> {
    let mut columns = Vec::new();
    for value in doc.values(node, crate::core::vocab::OPTIONAL_COLUMN) {
        match value {
            Term::Literal(column) => columns.push(column.value().to_owned()),
            other => {
                return Err(Diagnostic::new(
                    format!(
                        "citykg:optionalColumn names a CSV column as a string, found {}",
                        show(other)
                    ),
                    at.clone(),
                ));
            }
        }
    }
    if columns.is_empty() {
        return Ok(source);
    }
    match &mut source {
        Source::File(file) => file.csv.optional_columns = columns,
        _ => {
            return Err(Diagnostic::new(
                "citykg:optionalColumn applies to CSV file sources only",
                at.clone(),
            ));
        }
    }
    Ok(source)
}

fn nulls(doc: &Doc<'_>, node: &Term) -> Vec<String> {
    doc.values(node, &rml("null"))
        .filter_map(|t| match t {
            Term::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        })
        .collect()
}

fn reference_formulation(
    doc: &Doc<'_>,
    node: &Term,
    at: &Location,
) -> Result<ReferenceFormulation, Diagnostic> {
    let iri = match node {
        Term::NamedNode(iri) => iri.as_str().to_owned(),
        _ if doc.has_type(node, &rml("XPathReferenceFormulation")) => rml("XPath"),
        _ => {
            return Err(Diagnostic::new(
                format!("unknown reference formulation {}", show(node)),
                at.clone(),
            ));
        }
    };
    Ok(match iri.strip_prefix(vocab::RML).unwrap_or(&iri) {
        "JSONPath" => ReferenceFormulation::JsonPath,
        "CSV" => ReferenceFormulation::Csv,
        "XPath" | "XPathReferenceFormulation" => {
            let mut namespaces = Vec::new();
            for namespace in doc.values(node, &rml("namespace")) {
                let prefix = doc.one_literal(namespace, &rml("namespacePrefix"), at)?;
                let url = doc.one_literal(namespace, &rml("namespaceURL"), at)?;
                if let (Some(prefix), Some(url)) = (prefix, url) {
                    namespaces.push((prefix.value().to_owned(), url.value().to_owned()));
                }
            }
            ReferenceFormulation::XPath { namespaces }
        }
        "SQL2008" | "SQL2008Table" | "SQL2008Query" => ReferenceFormulation::Sql2008,
        _ => ReferenceFormulation::Other(iri),
    })
}

fn source_node(doc: &Doc<'_>, node: &Term, at: &Location) -> Result<Source, Diagnostic> {
    if let Some(path) = doc.one_literal(node, &rml("path"), at)? {
        let root = match doc.one_iri(node, &rml("root"), at)? {
            None => SourceRoot::MappingDirectory,
            Some(root) if root.as_str() == rml("MappingDirectory") => SourceRoot::MappingDirectory,
            Some(root) if root.as_str() == rml("CurrentWorkingDirectory") => {
                SourceRoot::CurrentWorkingDirectory
            }
            Some(other) => {
                return Err(Diagnostic::new(
                    format!(
                        "unknown rml:root {other}; use rml:MappingDirectory or rml:CurrentWorkingDirectory"
                    ),
                    at.clone(),
                ));
            }
        };
        let compression = match doc.one_iri(node, &rml("compression"), at)? {
            None => Compression::None,
            Some(c) => match c.as_str().strip_prefix(vocab::RML).unwrap_or(c.as_str()) {
                "none" => Compression::None,
                "gzip" => Compression::Gzip,
                "zip" => Compression::Zip,
                "targz" => Compression::TarGzip,
                "tarxz" => Compression::TarXz,
                _ => {
                    return Err(Diagnostic::new(
                        format!(
                            "unknown rml:compression {c}; use rml:none, rml:gzip, rml:zip, rml:targz or rml:tarxz"
                        ),
                        at.clone(),
                    ));
                }
            },
        };
        let encoding = match doc.one(node, &rml("encoding"), at)? {
            None => None,
            Some(Term::NamedNode(e)) => Some(
                e.as_str()
                    .strip_prefix(vocab::RML)
                    .unwrap_or(e.as_str())
                    .to_owned(),
            ),
            Some(Term::Literal(e)) => Some(e.value().to_owned()),
            Some(other) => {
                return Err(Diagnostic::new(
                    format!("invalid rml:encoding {other}"),
                    at.clone(),
                ));
            }
        };
        // A CSVW dialect on a path source (as `mapping convert` writes one) counts too.
        let (csv, dialect_encoding) = csv_dialect(doc, node, at)?;
        return Ok(Source::File(FileSource {
            path: path.value().to_owned(),
            root,
            compression,
            encoding: encoding.or(dialect_encoding),
            csv,
        }));
    }
    let csvw = |local: &str| format!("{}{local}", vocab::CSVW);
    if let Some(url) = doc.one_literal(node, &csvw("url"), at)? {
        let (csv, encoding) = csv_dialect(doc, node, at)?;
        return Ok(Source::File(FileSource {
            path: url.value().to_owned(),
            root: SourceRoot::MappingDirectory,
            compression: Compression::None,
            encoding,
            csv,
        }));
    }
    let d2rq = |local: &str| format!("{}{local}", vocab::D2RQ);
    if doc.has_type(node, &d2rq("Database")) || doc.has(node, &d2rq("jdbcDSN")) {
        let text = |p: &str| -> Result<Option<String>, Diagnostic> {
            Ok(doc.one_literal(node, p, at)?.map(|l| l.value().to_owned()))
        };
        return Ok(Source::Database(DatabaseSource {
            dsn: text(&d2rq("jdbcDSN"))?,
            driver: text(&d2rq("jdbcDriver"))?,
            username: text(&d2rq("username"))?,
            password: text(&d2rq("password"))?,
            sql_version: sql_version(doc, node, at)?,
            ..DatabaseSource::default()
        }));
    }
    Ok(Source::Other(show(node)))
}

/// `csvw:dialect [ csvw:delimiter ";" ; ... ]` on a source node: the CSV dialect, and the
/// dialect's `csvw:encoding` if it names one.
fn csv_dialect(
    doc: &Doc<'_>,
    node: &Term,
    at: &Location,
) -> Result<(CsvDialect, Option<String>), Diagnostic> {
    let csvw = |local: &str| format!("{}{local}", vocab::CSVW);
    let mut csv = CsvDialect::default();
    let Some(dialect) = doc.one(node, &csvw("dialect"), at)? else {
        return Ok((csv, None));
    };
    if let Some(delimiter) = doc.one_literal(dialect, &csvw("delimiter"), at)? {
        match delimiter.value().as_bytes() {
            [byte] => csv.delimiter = *byte,
            // `"\\t"` in Turtle: a backslash and `t`, which CSVW dialects mean as tab.
            b"\\t" => csv.delimiter = b'\t',
            _ => {
                return Err(Diagnostic::new(
                    format!(
                        "csvw:delimiter must be one ASCII character, found {:?}",
                        delimiter.value()
                    ),
                    at.clone(),
                ));
            }
        }
    }
    if let Some(quote) = doc.one_literal(dialect, &csvw("quoteChar"), at)?
        && let [byte] = quote.value().as_bytes()
    {
        csv.quote = *byte;
    }
    if let Some(header) = doc.one_literal(dialect, &csvw("header"), at)? {
        csv.header = header.value() != "false";
    }
    if let Some(trim) = doc.one_literal(dialect, &csvw("trim"), at)? {
        csv.trim = trim.value() == "true";
    }
    let encoding = doc
        .one_literal(dialect, &csvw("encoding"), at)?
        .map(|e| e.value().to_owned());
    Ok((csv, encoding))
}

/// R2RML `rr:logicalTable [ rr:tableName ... ]` or a logical source with only a query.
fn database_table(doc: &Doc<'_>, node: &Term, at: &Location) -> Result<Source, Diagnostic> {
    let table_name = doc
        .one_literal(node, &rml("tableName"), at)?
        .map(|l| l.value().to_owned());
    let query = doc
        .one_literal(node, &rml("query"), at)?
        .map(|l| l.value().to_owned());
    if table_name.is_none() && query.is_none() {
        return Err(Diagnostic::new(
            "the logical source has no rml:source; add one (a file path or an rml:RelativePathSource)",
            at.clone(),
        ));
    }
    Ok(Source::Database(DatabaseSource {
        table_name,
        query,
        sql_version: sql_version(doc, node, at)?,
        ..DatabaseSource::default()
    }))
}

/// `rr:sqlVersion` (an R2RML term, read as `rml:sqlVersion` after the vocabulary rewrite) on a
/// logical table, logical source or database node. Kept as the R2RML IRI (`rr:SQL2008`).
fn sql_version(doc: &Doc<'_>, node: &Term, at: &Location) -> Result<Option<String>, Diagnostic> {
    Ok(match doc.one(node, &rml("sqlVersion"), at)? {
        None => None,
        Some(Term::NamedNode(iri)) => Some(match iri.as_str().strip_prefix(vocab::RML) {
            Some(local) => format!("{}{local}", vocab::RR),
            None => iri.as_str().to_owned(),
        }),
        Some(Term::Literal(text)) => Some(text.value().to_owned()),
        Some(other) => {
            return Err(Diagnostic::new(
                format!("rml:sqlVersion must be an IRI, found {other}"),
                at.clone(),
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use crate::pipeline::mapping::check::{Purpose, check};
    use crate::pipeline::mapping::model::Source;
    use crate::pipeline::mapping::{Syntax, parse};

    fn mapping(source: &str) -> String {
        format!(
            r#"@prefix rml: <http://w3id.org/rml/> .
@prefix csvw: <http://www.w3.org/ns/csvw#> .
@prefix citykg: <https://w3id.org/citykg/ns#> .
@prefix ex: <http://example.com/> .
ex:M a rml:TriplesMap ;
  rml:logicalSource {source} ;
  rml:subjectMap [ rml:template "http://ex.org/{{sensor_id}}" ] .
"#
        )
    }

    #[test]
    fn optional_columns_on_the_logical_source_reach_the_csv_dialect() {
        let text = mapping(
            r#"[ rml:source [ a rml:RelativePathSource ; rml:path "day.csv" ;
                 csvw:dialect [ csvw:delimiter ";" ] ] ;
               rml:referenceFormulation rml:CSV ;
               citykg:optionalColumn "P1", "P2" ]"#,
        );
        let parsed = parse(&text, Syntax::Rml, None).unwrap();
        let Source::File(file) = &parsed.triples_maps[0].logical_source.source else {
            panic!("expected a file source");
        };
        assert_eq!(file.csv.optional_columns, vec!["P1", "P2"]);
        // A dialect on a path source is read (it is how `mapping convert` writes one).
        assert_eq!(file.csv.delimiter, b';');
        assert!(check(parsed, Purpose::Run).is_ok());
    }

    #[test]
    fn optional_columns_that_cannot_mean_anything_are_errors() {
        let cases = [
            (
                r#"[ rml:source "day.csv" ; rml:referenceFormulation rml:CSV ; citykg:optionalColumn ex:P1 ]"#,
                "as a string",
            ),
            (
                r#"[ rml:source [ a <http://www.wiwiss.fu-berlin.de/suhl/bizer/D2RQ/0.1#Database> ] ;
                     rml:tableName "t" ; citykg:optionalColumn "P1" ]"#,
                "CSV file sources only",
            ),
        ];
        for (source, expected) in cases {
            let error = parse(&mapping(source), Syntax::Rml, None).unwrap_err();
            assert!(error.to_string().contains(expected), "{source}: {error}");
        }
        // On a JSON source the checker says so (the parser cannot know the format yet).
        let text = mapping(
            r#"[ rml:source "day.json" ; rml:referenceFormulation rml:JSONPath ; citykg:optionalColumn "P1" ]"#,
        );
        let parsed = parse(&text, Syntax::Rml, None).unwrap();
        for purpose in [Purpose::Run, Purpose::Convert] {
            let error = check(parsed.clone(), purpose).unwrap_err();
            assert!(
                error.to_string().contains("applies to CSV sources only"),
                "{error}"
            );
        }
    }
}
