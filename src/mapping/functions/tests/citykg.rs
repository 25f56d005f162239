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
