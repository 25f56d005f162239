//! citykg's own functions: UTC times, numbers sent as strings, property IRIs.

use super::*;

const P: &str = "https://w3id.org/citykg/property/";

#[test]
fn each_citykg_function_computes_what_its_description_says() {
    let v = "citykg:value";
    check_computes(vec![
        // TTS v3: nine fractional digits stay, and stay valid.
        (
            "citykg:toUtcDateTime",
            vec![(v, &["2023-05-19T05:33:35.848446463Z"])],
            s("2023-05-19T05:33:35.848446463Z"),
        ),
        // ChirpStack: `+00:00` offsets and microseconds.
        (
            "citykg:toUtcDateTime",
            vec![(v, &["2023-05-22T07:47:05.404859+00:00"])],
            s("2023-05-22T07:47:05.404859Z"),
        ),
        // Other offsets move the instant to UTC, across a day boundary too.
        (
            "citykg:toUtcDateTime",
            vec![(v, &["2024-11-28T21:08:22.138-05:00"])],
            s("2024-11-29T02:08:22.138Z"),
        ),
        (
            "citykg:toUtcDateTime",
            vec![(v, &["2020-02-06t09:46:05z"])],
            s("2020-02-06T09:46:05Z"),
        ),
        // LORIOT `ts` and Helium `reported_at`: epoch milliseconds.
        (
            "citykg:epochMillisToDateTime",
            vec![(v, &["1684478801936"])],
            s("2023-05-19T06:46:41.936Z"),
        ),
        (
            "citykg:epochMillisToDateTime",
            vec![(v, &["1631457565832"])],
            s("2021-09-12T14:39:25.832Z"),
        ),
        (
            "citykg:epochMillisToDateTime",
            vec![(v, &["0"])],
            s("1970-01-01T00:00:00Z"),
        ),
        (
            "citykg:toNumber",
            vec![(v, &["867100000"])],
            kind("867100000", ValueKind::Integer),
        ),
        (
            "citykg:toNumber",
            vec![(v, &["-69"])],
            kind("-69", ValueKind::Integer),
        ),
        (
            "citykg:toNumber",
            vec![(v, &[" 32.592782 "])],
            kind("32.592782", ValueKind::Double),
        ),
        (
            "citykg:toNumber",
            vec![(v, &["-106.927742"])],
            kind("-106.927742", ValueKind::Double),
        ),
        (
            "citykg:toNumber",
            vec![(v, &["1.5e3"])],
            kind("1500", ValueKind::Double),
        ),
        (
            "citykg:propertyIri",
            vec![(v, &["Battery Status"])],
            s(&format!("{P}battery_status")),
        ),
        (
            "citykg:propertyIri",
            vec![(v, &["Temperature"])],
            s(&format!("{P}temperature")),
        ),
        (
            "citykg:propertyIri",
            vec![(v, &[" pm2.5 "])],
            s(&format!("{P}pm2_5")),
        ),
        (
            "citykg:propertyIri",
            vec![(v, &["Sensor Fault"]), ("citykg:group", &["Device Status"])],
            s(&format!("{P}device_status_sensor_fault")),
        ),
        (
            "citykg:propertyIri",
            vec![(v, &["--"]), ("citykg:group", &["g"])],
            vec![],
        ),
    ]);
}

#[test]
fn malformed_times_and_numbers_are_errors_not_guesses() {
    let v = "citykg:value";
    check_invalid(vec![
        // The Milesight sample's malformed time.
        (
            "citykg:toUtcDateTime",
            vec![(v, &["2020-0327T12:39:05Z"])],
            "value",
        ),
        // A naive time: its zone would be a guess.
        (
            "citykg:toUtcDateTime",
            vec![(v, &["2016-03-15T11:00:00"])],
            "value",
        ),
        ("citykg:toUtcDateTime", vec![(v, &["2016-03-15"])], "value"),
        (
            "citykg:toUtcDateTime",
            vec![(v, &["1631457565832"])],
            "value",
        ),
        (
            "citykg:epochMillisToDateTime",
            vec![(v, &["2021-09-12T14:39:25Z"])],
            "value",
        ),
        (
            "citykg:epochMillisToDateTime",
            vec![(v, &["1631457565.832"])],
            "value",
        ),
        ("citykg:toNumber", vec![(v, &["Good"])], "value"),
        ("citykg:toNumber", vec![(v, &["NaN"])], "value"),
        ("citykg:toNumber", vec![(v, &["inf"])], "value"),
        ("citykg:toNumber", vec![(v, &[""])], "value"),
    ]);
}

#[test]
fn naive_times_take_the_zone_the_mapping_or_the_run_declares() {
    let v = "citykg:value";
    let z = "citykg:zone";
    check_computes(vec![
        // sensor.community: naive, UTC by convention, declared by the mapping.
        (
            "citykg:toUtcDateTime",
            vec![(v, &["2017-10-20T00:00:26"]), (z, &["Z"])],
            s("2017-10-20T00:00:26Z"),
        ),
        (
            "citykg:toUtcDateTime",
            vec![(v, &["2016-03-15T11:00:00"]), (z, &["+01:00"])],
            s("2016-03-15T10:00:00Z"),
        ),
        // A `+` that a query string decoded to a space.
        (
            "citykg:toUtcDateTime",
            vec![(v, &["2016-03-15T11:00:00"]), (z, &[" 02:00"])],
            s("2016-03-15T09:00:00Z"),
        ),
        // A time with its own offset keeps it: the declared zone is for naive times only.
        (
            "citykg:toUtcDateTime",
            vec![(v, &["2016-03-15T11:00:00-05:00"]), (z, &["+01:00"])],
            s("2016-03-15T16:00:00Z"),
        ),
        // NGSI-v2 TrafficFlowObserved `dateObserved` intervals.
        (
            "citykg:intervalStart",
            vec![
                (v, &["2016-12-07T11:10:00/2016-12-07T11:15:00"]),
                (z, &["UTC"]),
            ],
            s("2016-12-07T11:10:00Z"),
        ),
        (
            "citykg:intervalEnd",
            vec![(v, &["2016-12-07T11:10:00+01:00/2016-12-07T11:15:00+01:00"])],
            s("2016-12-07T10:15:00Z"),
        ),
        // An instant is its own start and end.
        (
            "citykg:intervalEnd",
            vec![(v, &["2018-08-07T12:00:00Z"])],
            s("2018-08-07T12:00:00Z"),
        ),
    ]);
    check_invalid(vec![
        (
            "citykg:toUtcDateTime",
            vec![(v, &["2016-03-15T11:00:00"]), (z, &["CET"])],
            "zone",
        ),
        (
            "citykg:intervalStart",
            vec![(v, &["2016-12-07T11:10:00/2016-12-07T11:15:00"])],
            "value",
        ),
    ]);
    // The run's declared zone, when the mapping gives none.
    let def = lookup(&expand("citykg:toUtcDateTime")).unwrap();
    let mut inputs = Inputs::new(def).with_context(CallContext {
        naive_time_zone: parse_zone("-03:00"),
    });
    inputs
        .add(&expand(v), [Value::string("2024-01-31T22:30:00")])
        .unwrap();
    assert_eq!(
        inputs.call().unwrap().values[0].text,
        "2024-02-01T01:30:00Z"
    );
}

#[test]
fn unit_codes_become_the_shipped_qudt_units_and_unknown_ones_are_errors() {
    let v = "citykg:value";
    let unit = |local: &str| s(&format!("http://qudt.org/vocab/unit/{local}"));
    check_computes(vec![
        (
            "citykg:unitFromCode",
            vec![(v, &["GQ"])],
            unit("MicroGM-PER-M3"),
        ),
        ("citykg:unitFromCode", vec![(v, &[" CEL "])], unit("DEG_C")),
        ("citykg:unitFromCode", vec![(v, &["E32"])], unit("L-PER-HR")),
        (
            "citykg:unitFromCode",
            vec![(v, &["M1"])],
            unit("MilliGM-PER-L"),
        ),
        ("citykg:unitFromCode", vec![(v, &["C62"])], unit("UNITLESS")),
        (
            "citykg:unitFromUcum",
            vec![(v, &["ucum:Cel"])],
            unit("DEG_C"),
        ),
        (
            "citykg:unitFromUcum",
            vec![(v, &["ug/m3"])],
            unit("MicroGM-PER-M3"),
        ),
        (
            "citykg:unitFromUcum",
            vec![(v, &["http://unitsofmeasure.org/ucum.html#lx"])],
            unit("LUX"),
        ),
    ]);
    check_invalid(vec![
        ("citykg:unitFromCode", vec![(v, &["XYZ"])], "value"),
        // Codes are case-sensitive in Rec 20 and UCUM alike.
        ("citykg:unitFromCode", vec![(v, &["gq"])], "value"),
        (
            "citykg:unitFromUcum",
            vec![(v, &["degree celsius"])],
            "value",
        ),
    ]);
}

#[test]
fn geojson_coordinates_become_wkt_in_their_own_axis_order() {
    let t = "citykg:geometryType";
    let c = "citykg:coordinates";
    check_computes(vec![
        (
            "citykg:wktFromGeoJson",
            vec![(t, &["Point"]), (c, &["-3.712247", "40.423853"])],
            s("POINT(-3.712247 40.423853)"),
        ),
        (
            "citykg:wktFromGeoJson",
            vec![
                (t, &["LineString"]),
                (c, &["-3.7", "40.4", "-3.71", "40.41"]),
            ],
            s("LINESTRING(-3.7 40.4, -3.71 40.41)"),
        ),
        (
            "citykg:wktFromGeoJson",
            vec![
                (t, &["Polygon"]),
                (c, &["0", "0", "1", "0", "1", "1", "0", "0"]),
            ],
            s("POLYGON((0 0, 1 0, 1 1, 0 0))"),
        ),
        (
            "citykg:wktFromGeoJson",
            vec![(t, &["Point"]), (c, &[])],
            vec![],
        ),
    ]);
    check_invalid(vec![
        (
            "citykg:wktFromGeoJson",
            vec![(t, &["Point"]), (c, &["1", "2", "3"])],
            "coordinates",
        ),
        // Latitude outside -90..90: not a position (typically lat and lon swapped past 90).
        (
            "citykg:wktFromGeoJson",
            vec![(t, &["Point"]), (c, &["10", "120"])],
            "coordinates",
        ),
        (
            "citykg:wktFromGeoJson",
            vec![
                (t, &["Polygon"]),
                (c, &["0", "0", "1", "0", "1", "1", "2", "2"]),
            ],
            "coordinates",
        ),
        (
            "citykg:wktFromGeoJson",
            vec![(t, &["Circle"]), (c, &["0", "0"])],
            "geometryType",
        ),
    ]);
}
