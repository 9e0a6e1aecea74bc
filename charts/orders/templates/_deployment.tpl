{{/*
One track's Deployment (stable or canary): same pod spec, its own digest and replicas. The kubelet's sequence on
termination is: endpoints removed (asynchronously!) + preStop sleep → SIGTERM → the app's drain delay (readiness
red, still serving) → in-flight requests finish inside the shutdown timeout → exit. The grace period covers all
of it (guarded in _helpers.tpl "orders.guards").
*/}}
{{- define "orders.deployment" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $t := index $v .track -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "orders.trackName" . }}
  labels:
    {{- include "orders.labels" $root | nindent 4 }}
    track: {{ .track }}
  annotations:
    orders.io/version: {{ $t.version | quote }}
spec:
  {{- if not (and (eq .track "stable") $v.autoscaling.enabled) }}
  replicas: {{ $t.replicas }}
  {{- end }}
  revisionHistoryLimit: {{ $v.rollout.revisionHistoryLimit }}
  selector:
    matchLabels:
      {{- include "orders.selectorLabels" . | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: {{ $v.rollout.maxSurge }}
      maxUnavailable: {{ $v.rollout.maxUnavailable }}
  template:
    metadata:
      labels:
        {{- include "orders.labels" $root | nindent 8 }}
        track: {{ .track }}
        orders.io/version: {{ $t.version | quote }}
    spec:
      # No API access needed: a stolen token cannot be used against the cluster.
      automountServiceAccountToken: false
      enableServiceLinks: false
      terminationGracePeriodSeconds: {{ $v.lifecycle.terminationGracePeriodSeconds }}
      securityContext:
        {{- include "orders.podSecurityContext" $root | nindent 8 }}
      containers:
        - name: orders
          image: {{ include "orders.image" . }}
          imagePullPolicy: {{ $v.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ $v.app.port }}
              protocol: TCP
          env:
            {{- include "orders.env" $root | nindent 12 }}
            - name: ORDERS_DRAIN_DELAY_SECONDS
              value: {{ $v.lifecycle.drainDelaySeconds | quote }}
            - name: ORDERS_SHUTDOWN_TIMEOUT_SECONDS
              value: {{ $v.lifecycle.shutdownTimeoutSeconds | quote }}
            - name: ORDERS_WARMUP_DELAY_SECONDS
              value: {{ $v.lifecycle.warmupDelaySeconds | quote }}
          # Startup first: liveness must not restart a pod that is still starting.
          startupProbe:
            httpGet: { path: /healthz/live, port: http }
            periodSeconds: {{ $v.probes.startup.periodSeconds }}
            timeoutSeconds: {{ $v.probes.startup.timeoutSeconds }}
            failureThreshold: {{ $v.probes.startup.failureThreshold }}
          # Ready = pool open, schema inside this build's contract, not draining. Red pods leave the Service.
          readinessProbe:
            httpGet: { path: /healthz/ready, port: http }
            periodSeconds: {{ $v.probes.readiness.periodSeconds }}
            timeoutSeconds: {{ $v.probes.readiness.timeoutSeconds }}
            failureThreshold: {{ $v.probes.readiness.failureThreshold }}
          # Live = the process answers. Never the database: a database outage would restart every pod at once.
          livenessProbe:
            httpGet: { path: /healthz/live, port: http }
            periodSeconds: {{ $v.probes.liveness.periodSeconds }}
            timeoutSeconds: {{ $v.probes.liveness.timeoutSeconds }}
            failureThreshold: {{ $v.probes.liveness.failureThreshold }}
          lifecycle:
            # Endpoint removal races SIGTERM: keep serving until kube-proxy and the gateway have forgotten this pod.
            preStop:
              sleep:
                seconds: {{ $v.lifecycle.preStopSleepSeconds }}
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          securityContext:
            {{- include "orders.containerSecurityContext" $root | nindent 12 }}
          volumeMounts:
            - name: db-password
              mountPath: /run/secrets/db
              readOnly: true
            - name: tmp
              mountPath: /tmp
      volumes:
        {{- include "orders.secretVolume" $root | nindent 8 }}
        # The only writable path (read-only root filesystem).
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
{{- end }}
