//! Verdicts per second: one fix judged against a circle, and against a 20-vertex polygon with
//! a 6-vertex hole, through the public `evaluate`. Run with
//! `cargo bench -p siperlu-core --no-default-features --bench geofence`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use geo::{Destination, Geodesic};
use siperlu_core::geofence::{Fence, LatLon, Office, OfficeZone, evaluate};

/// Balai Kota Bogor.
const CENTER: LatLon = LatLon {
    lat: -6.5950,
    lon: 106.7990,
};

fn destination(bearing_deg: f64, distance_m: f64) -> LatLon {
    let point = Geodesic.destination(CENTER.to_point(), bearing_deg, distance_m);
    LatLon {
        lat: point.y(),
        lon: point.x(),
    }
}

/// Returns a regular ring of `vertices` points at `radius_m` around the centre.
fn ring(vertices: usize, radius_m: f64) -> Vec<LatLon> {
    (0..vertices)
        .map(|index| destination(360.0 * index as f64 / vertices as f64, radius_m))
        .collect()
}

fn office(fence: Fence) -> Office {
    let office = Office {
        id: "pemkot-bogor".into(),
        name: "Balai Kota Bogor".into(),
        time_zone: OfficeZone::Wib,
        fences: vec![fence],
    };
    office.validate().expect("benchmark office is valid");
    office
}

fn bench_verdicts(c: &mut Criterion) {
    let circle = office(Fence::Circle {
        center: CENTER,
        radius_m: 150.0,
    });
    let polygon = office(Fence::Polygon {
        exterior: ring(20, 300.0),
        holes: vec![ring(6, 80.0)],
    });

    // A fix between the hole and the exterior, and one outside, 10 m accuracy.
    let inside = destination(40.0, 200.0);
    let outside = destination(130.0, 450.0);

    let mut group = c.benchmark_group("geofence_verdict");
    group.throughput(Throughput::Elements(1));
    for (name, office, point) in [
        ("circle_inside", &circle, inside),
        ("circle_outside", &circle, outside),
        ("polygon20_hole6_inside", &polygon, inside),
        ("polygon20_hole6_outside", &polygon, outside),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| evaluate([black_box(office)], black_box(point), black_box(10.0)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_verdicts);
criterion_main!(benches);
