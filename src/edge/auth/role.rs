//! Roles of DESIGN.md: `read`, `steward` (mappings, ingest), `write` (SPARQL Update, Graph Store
//! writes), `admin` (tokens, everything).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Read,
    Steward,
    Write,
    Admin,
}

impl Role {
    /// Whether a token with this role may do what `needed` allows. Admin may do everything;
    /// every role may read; steward and write are separate duties.
    pub fn grants(self, needed: Role) -> bool {
        self == Role::Admin || needed == Role::Read || self == needed
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Read => "read",
            Role::Steward => "steward",
            Role::Write => "write",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown role {0:?}: use read, steward, write or admin")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "read" => Ok(Role::Read),
            "steward" => Ok(Role::Steward),
            "write" => Ok(Role::Write),
            "admin" => Ok(Role::Admin),
            _ => Err(UnknownRole(s.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_grant_what_design_md_says() {
        use Role::*;
        let table = [
            (Read, Read, true),
            (Read, Write, false),
            (Steward, Read, true),
            (Steward, Steward, true),
            (Steward, Write, false),
            (Write, Write, true),
            (Write, Steward, false),
            (Write, Admin, false),
            (Admin, Write, true),
            (Admin, Steward, true),
            (Admin, Admin, true),
        ];
        for (have, need, ok) in table {
            assert_eq!(have.grants(need), ok, "{have} -> {need}");
        }
        assert_eq!("WRITE".parse::<Role>().unwrap(), Write);
        assert!("root".parse::<Role>().is_err());
    }
}
