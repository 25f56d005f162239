//! GREL `date_toDate` and IDLab `normalizeDate` / `normalizeDateTime` (Java-style patterns).

use super::*;

#[test]
fn each_date_function_computes_what_grel_and_idlab_compute() {
    let v = "grel:valueParameter";
    check_computes(vec![
        (
            "grel:date_toDate",
            vec![
                (v, &["24/12/2023"]),
                ("grel:p_string_pattern", &["dd/MM/yyyy"]),
            ],
            s("2023-12-24"),
        ),
        (
            "idlab:normalizeDate",
            vec![
                ("idlab:strDate", &["03 March 2021"]),
                ("idlab:pattern", &["dd MMMM yyyy"]),
            ],
            s("2021-03-03"),
        ),
        (
            "idlab:normalizeDate",
            vec![
                ("idlab:strDate", &["Mar 3, 21"]),
                ("idlab:pattern", &["MMM d, yy"]),
            ],
            s("2021-03-03"),
        ),
        (
            "idlab:normalizeDateTime",
            vec![
                ("idlab:strDate", &["2021-03-03 01:02:03 PM"]),
                ("idlab:pattern", &["yyyy-MM-dd hh:mm:ss a"]),
            ],
            s("2021-03-03T13:02:03"),
        ),
        (
            "idlab:normalizeDateTime",
            vec![
                ("idlab:strDate", &["20210303T0102"]),
                ("idlab:pattern", &["yyyyMMdd'T'HHmm"]),
            ],
            s("2021-03-03T01:02:00"),
        ),
    ]);
}

#[test]
fn bad_dates_are_errors_that_name_the_parameter() {
    check_invalid(vec![
        (
            "idlab:normalizeDate",
            vec![
                ("idlab:strDate", &["2021-13-01"]),
                ("idlab:pattern", &["yyyy-MM-dd"]),
            ],
            "_strDate",
        ),
        (
            "idlab:normalizeDate",
            vec![
                ("idlab:strDate", &["2021-02-29"]),
                ("idlab:pattern", &["yyyy-MM-dd"]),
            ],
            "_strDate",
        ),
    ]);
}
