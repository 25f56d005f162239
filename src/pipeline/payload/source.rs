//! Where a logical source's bytes come from and how they are laid out: a file (its root,
//! compression, encoding) and, for CSV, its CSVW dialect. The mapping model names sources with
//! these; the readers and `resolve` act on them.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSource {
    pub path: String,
    pub root: SourceRoot,
    pub compression: Compression,
    /// Character encoding label (`UTF-8`, `UTF-16`...); `None` = UTF-8.
    pub encoding: Option<String>,
    /// CSVW dialect options (`csvw:delimiter` ...).
    pub csv: CsvDialect,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SourceRoot {
    /// The folder of the mapping file (RML-IO `rml:MappingDirectory`; the legacy default).
    #[default]
    MappingDirectory,
    /// The process' working directory (`rml:CurrentWorkingDirectory`).
    CurrentWorkingDirectory,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compression {
    #[default]
    None,
    Gzip,
    Zip,
    TarGzip,
    TarXz,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvDialect {
    pub delimiter: u8,
    pub quote: u8,
    pub header: bool,
    /// `csvw:trim`.
    pub trim: bool,
    /// citykg's extension `citykg:optionalColumn` on the logical source (YARRRML
    /// `optionalColumns`): header names that a file may lack, because the columns of some CSV
    /// exports depend on the device (sensor.community files differ by sensor type). A reference
    /// to one of them that is absent from the header gives no value; any other reference to a
    /// column not in the header stays an error, so a misspelt name is still caught.
    pub optional_columns: Vec<String>,
}

impl Default for CsvDialect {
    fn default() -> Self {
        Self {
            delimiter: b',',
            quote: b'"',
            header: true,
            trim: false,
            optional_columns: Vec::new(),
        }
    }
}
