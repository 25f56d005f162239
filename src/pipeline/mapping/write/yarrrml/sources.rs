//! Logical sources as YARRRML `sources` entries in the long form (`access`,
//! `referenceFormulation`, `iterator`, `delimiter`; `type`, `credentials`, `query`,
//! `queryFormulation`, `table` for databases; citykg's `optionalColumns`), refusing what the
//! translator would read back differently.

use super::Yarrrml;
use crate::pipeline::mapping::model::{
    DatabaseSource, LogicalSource, ReferenceFormulation, Source,
};
use crate::pipeline::mapping::write::WriteError;
use crate::pipeline::mapping::write::yaml::Y;
use crate::pipeline::payload::source::{Compression, CsvDialect, SourceRoot};

const SQL2008: &str = "http://www.w3.org/ns/r2rml#SQL2008";

/// The database `type`s the translator knows, with the JDBC driver each stands for.
const DRIVERS: &[(&str, &str)] = &[
    ("mysql", "com.mysql.cj.jdbc.Driver"),
    ("postgresql", "org.postgresql.Driver"),
    ("sqlserver", "com.microsoft.sqlserver.jdbc.SQLServerDriver"),
    ("oracle", "oracle.jdbc.driver.OracleDriver"),
];

fn text(key: &str, value: &str) -> (String, Y) {
    (key.to_owned(), Y::Str(value.to_owned()))
}

impl Yarrrml<'_> {
    pub(super) fn source(&mut self, source: &LogicalSource) -> Result<Y, WriteError> {
        if !source.null_values.is_empty() {
            return Err(self.unsupported("NULL values (rml:null)"));
        }
        let mut entries = match &source.source {
            Source::File(file) => {
                if file.root == SourceRoot::CurrentWorkingDirectory {
                    return Err(self.unsupported("a path relative to the working directory"));
                }
                if file.compression != Compression::None {
                    return Err(self.unsupported("a compressed source"));
                }
                if file.encoding.is_some() {
                    return Err(self.unsupported("a source encoding (rml:encoding)"));
                }
                let mut entries = vec![text("access", &file.path)];
                let delimiter = CsvDialect {
                    delimiter: file.csv.delimiter,
                    optional_columns: file.csv.optional_columns.clone(),
                    ..CsvDialect::default()
                };
                if file.csv != delimiter || !file.csv.delimiter.is_ascii() {
                    return Err(self.unsupported("a CSV dialect other than a delimiter"));
                }
                if file.csv.delimiter != CsvDialect::default().delimiter {
                    let delimiter = char::from(file.csv.delimiter).to_string();
                    entries.push(text("delimiter", &delimiter));
                }
                if !file.csv.optional_columns.is_empty() {
                    let columns = file.csv.optional_columns.iter();
                    let columns = columns.map(|column| Y::Str(column.clone())).collect();
                    entries.push(("optionalColumns".to_owned(), Y::List(columns)));
                }
                entries
            }
            Source::Database(database) => self.database(database)?,
            Source::Other(_) => {
                return Err(self.unsupported("a source that is neither a file nor a database"));
            }
        };
        let formulation = match &source.reference_formulation {
            None => None,
            Some(ReferenceFormulation::JsonPath) => Some("jsonpath"),
            Some(ReferenceFormulation::Csv) => Some("csv"),
            Some(ReferenceFormulation::XPath { namespaces }) if namespaces.is_empty() => {
                Some("xpath")
            }
            Some(ReferenceFormulation::XPath { .. }) => {
                return Err(self.unsupported("XPath namespace declarations"));
            }
            Some(ReferenceFormulation::Sql2008) => {
                return Err(self.unsupported("the SQL 2008 reference formulation"));
            }
            // Read back verbatim: written in full, never as a prefixed name.
            Some(ReferenceFormulation::Other(iri)) => Some(iri.as_str()),
        };
        if let Some(formulation) = formulation {
            entries.push(text("referenceFormulation", formulation));
        }
        if let Some(iterator) = &source.iterator {
            entries.push(text("iterator", iterator));
        }
        Ok(Y::Map(entries))
    }

    fn database(&mut self, database: &DatabaseSource) -> Result<Vec<(String, Y)>, WriteError> {
        let mut entries = Vec::new();
        if let Some(dsn) = &database.dsn {
            entries.push(text("access", dsn));
        }
        match &database.driver {
            // Without `type` or `table` the translator reads a file.
            None if database.table_name.is_none() => {
                return Err(self.unsupported("a database without a driver or a table"));
            }
            None => {}
            Some(driver) => {
                let known = DRIVERS.iter().find(|(_, jdbc)| jdbc == driver);
                let kind = match known {
                    Some((kind, _)) => *kind,
                    None if DRIVERS.iter().any(|(kind, _)| kind == driver) => {
                        return Err(self.unsupported("a JDBC driver named like a database type"));
                    }
                    None => driver.as_str(),
                };
                entries.push(text("type", kind));
            }
        }
        let mut credentials = Vec::new();
        if let Some(username) = &database.username {
            credentials.push(text("username", username));
        }
        if let Some(password) = &database.password {
            credentials.push(text("password", password));
        }
        if !credentials.is_empty() {
            entries.push(("credentials".to_owned(), Y::Map(credentials)));
        }
        match database.sql_version.as_deref() {
            None => {}
            Some(SQL2008) => entries.push(text("queryFormulation", "sql2008")),
            Some(_) => return Err(self.unsupported("an SQL version other than SQL 2008")),
        }
        if let Some(query) = &database.query {
            // The translator reads a query on one line, trimmed.
            if query.contains('\n') || query.trim() != query {
                return Err(self.unsupported("a query with line breaks or outer spaces"));
            }
            entries.push(text("query", query));
        }
        if let Some(table) = &database.table_name {
            entries.push(text("table", table));
        }
        Ok(entries)
    }
}
