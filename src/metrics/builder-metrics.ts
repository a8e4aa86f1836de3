/**
 * The builder's Prometheus metrics: the information of upstream's statsd keys
 * (nodepool-compat.md 11) plus the gauges upstream documents but never sends
 * (current builds/uploads, workers) and Kiln's backoff. One Registry per
 * daemon (not prom-client's global one), so several builders can run in one
 * process (tests).
 *
 *   statsd key                                                  → metric
 *   nodepool.dib_image_build.<image>.<ext>.size                   nodepool_dib_image_build_size_bytes{image,format}
 *   nodepool.dib_image_build.<image>.status.duration              nodepool_dib_image_build_duration_seconds{image} (last run)
 *   nodepool.dib_image_build.<image>.status.rc                    nodepool_dib_image_build_rc{image}
 *   nodepool.dib_image_build.<image>.status.last_build            nodepool_dib_image_build_last_build_timestamp_seconds{image}
 *   nodepool.image_update.<image>.<provider> (timer + counter)    nodepool_image_update_duration_seconds{image,provider} (histogram: _count is the counter)
 *   nodepool.image_build_requests                                 nodepool_image_build_requests
 *   nodepool.image.<image>.image_build_requests                   nodepool_image_build_requests_image{image}
 *   nodepool.builder.<fqdn>.image.<image>.build.state             nodepool_builder_image_build_state{image} (0 idle, 1 building, 3 paused)
 *   nodepool.builder.<fqdn>.image.<image>.provider.<p>.upload.state  nodepool_builder_image_upload_state{image,provider} (0, 2 uploading, 3 paused)
 *   (documented, never sent upstream) .current_builds / .current_uploads / .build_workers / .upload_workers
 *                                                                 nodepool_builder_current_builds, …_current_uploads, …_build_workers, …_upload_workers
 * Kiln: kiln_build_failures_total{image}, kiln_upload_failures_total{image,provider}, kiln_build_backoff_until_timestamp_seconds{image}.
 * The builder's hostname is the `builder` label on every metric (default label).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export class BuilderMetrics {
  readonly registry = new Registry();
  readonly buildSize: Gauge<'image' | 'format'>;
  readonly buildDuration: Gauge<'image'>;
  readonly buildRc: Gauge<'image'>;
  readonly lastBuild: Gauge<'image'>;
  readonly imageUpdate: Histogram<'image' | 'provider'>;
  readonly buildRequests: Gauge;
  readonly imageBuildRequests: Gauge<'image'>;
  readonly buildState: Gauge<'image'>;
  readonly uploadState: Gauge<'image' | 'provider'>;
  readonly currentBuilds: Gauge;
  readonly currentUploads: Gauge;
  readonly buildWorkers: Gauge;
  readonly uploadWorkers: Gauge;
  readonly buildFailures: Counter<'image'>;
  readonly uploadFailures: Counter<'image' | 'provider'>;
  readonly backoffUntil: Gauge<'image'>;

  constructor(hostname: string) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ builder: hostname });
    const gauge = <L extends string>(name: string, help: string, labelNames: L[] = []): Gauge<L> => new Gauge({ name, help, labelNames, registers });
    this.buildSize = gauge('nodepool_dib_image_build_size_bytes', 'bytes on disk of each format of the last successful build', ['image', 'format']);
    this.buildDuration = gauge('nodepool_dib_image_build_duration_seconds', 'duration of the last DIB run', ['image']);
    this.buildRc = gauge('nodepool_dib_image_build_rc', 'exit code of the last DIB run (1 on timeout)', ['image']);
    this.lastBuild = gauge('nodepool_dib_image_build_last_build_timestamp_seconds', 'when the last DIB run ended', ['image']);
    this.imageUpdate = new Histogram({
      name: 'nodepool_image_update_duration_seconds',
      help: 'duration of successful uploads',
      labelNames: ['image', 'provider'],
      buckets: [1, 10, 30, 60, 300, 900, 1800, 3600, 7200],
      registers,
    });
    this.buildRequests = gauge('nodepool_image_build_requests', 'pending manual build requests');
    this.imageBuildRequests = gauge('nodepool_image_build_requests_image', 'manual build request pending (0/1)', ['image']);
    this.buildState = gauge('nodepool_builder_image_build_state', '0 idle, 1 building, 3 paused', ['image']);
    this.uploadState = gauge('nodepool_builder_image_upload_state', '0 idle, 2 uploading, 3 paused', ['image', 'provider']);
    this.currentBuilds = gauge('nodepool_builder_current_builds', 'builds running on this builder');
    this.currentUploads = gauge('nodepool_builder_current_uploads', 'uploads running on this builder');
    this.buildWorkers = gauge('nodepool_builder_build_workers', 'build worker slots');
    this.uploadWorkers = gauge('nodepool_builder_upload_workers', 'upload worker slots');
    this.buildFailures = new Counter({ name: 'kiln_build_failures_total', help: 'failed builds', labelNames: ['image'], registers });
    this.uploadFailures = new Counter({ name: 'kiln_upload_failures_total', help: 'failed uploads', labelNames: ['image', 'provider'], registers });
    this.backoffUntil = gauge('kiln_build_backoff_until_timestamp_seconds', 'automatic builds wait until then after failures (0: none)', ['image']);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
