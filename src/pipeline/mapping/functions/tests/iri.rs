//! `citykg-fn:absoluteIri`: identifiers that must be IRIs already, names in a namespace.

use super::*;

#[test]
fn absolute_iris_pass_and_plain_names_expand_only_in_a_namespace() {
    let v = "citykg:value";
    let ns = "citykg:namespace";
    let default_context = "https://uri.etsi.org/ngsi-ld/default-context/";
    check_computes(vec![
        (
            "citykg:absoluteIri",
            vec![(
                v,
                &["urn:ngsi-ld:ParkingSpot:santander:daoiz_velarde_1_5:3"],
            )],
            s("urn:ngsi-ld:ParkingSpot:santander:daoiz_velarde_1_5:3"),
        ),
        // An absolute IRI is kept as is, namespace or not.
        (
            "citykg:absoluteIri",
            vec![
                (
                    v,
                    &["https://smartdatamodels.org/dataModel.Environment/AirQualityObserved"],
                ),
                (ns, &[default_context]),
            ],
            s("https://smartdatamodels.org/dataModel.Environment/AirQualityObserved"),
        ),
        (
            "citykg:absoluteIri",
            vec![(v, &["AirQualityObserved"]), (ns, &[default_context])],
            s("https://uri.etsi.org/ngsi-ld/default-context/AirQualityObserved"),
        ),
        ("citykg:absoluteIri", vec![(v, &[])], vec![]),
    ]);
    check_invalid(vec![
        // NGSI-v2 style ids are not IRIs: no scheme, and no namespace to put them in.
        (
            "citykg:absoluteIri",
            vec![(v, &["Madrid-28079004"])],
            "value",
        ),
        ("citykg:absoluteIri", vec![(v, &["1abc:def"])], "value"),
        ("citykg:absoluteIri", vec![(v, &["urn:x y"])], "value"),
        (
            "citykg:absoluteIri",
            vec![(v, &["Air Quality"]), (ns, &[default_context])],
            "value",
        ),
    ]);
}
