{{/*
Names. The release engine addresses objects by these exact names (KubernetesSettings): the Deployments and
Services are <release>-stable / <release>-canary, the HTTPRoute is <release>. Do not derive them differently.
*/}}
{{- define "orders.trackName" -}}{{ printf "%s-%s" .root.Release.Name .track }}{{- end }}
{{- define "orders.dbSecretName" -}}
{{- if .Values.database.password.existingSecret -}}{{ .Values.database.password.existingSecret }}{{- else -}}{{ printf "%s-db" .Release.Name }}{{- end -}}
{{- end }}

{{/* Labels on every object; pods add track. PodReadiness selects app.kubernetes.io/instance=<release>,track=<t>. */}}
{{- define "orders.labels" -}}
app.kubernetes.io/name: orders
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- with .Values.environment }}
orders.io/environment: {{ . }}
{{- end }}
{{- end }}

{{- define "orders.selectorLabels" -}}
app.kubernetes.io/name: orders
app.kubernetes.io/instance: {{ .root.Release.Name }}
track: {{ .track }}
{{- end }}

{{/*
Guards that run for every render (included by the stable Deployment, which always renders):
- the namespace the values were generated for;
- the termination arithmetic: preStop + drain + shutdown < grace, or the kubelet SIGKILLs requests in flight;
- exactly one source for the database password.
*/}}
{{- define "orders.guards" -}}
{{- if and .Values.expectedNamespace (ne .Values.expectedNamespace .Release.Namespace) -}}
{{- fail (printf "these values were generated for namespace %q (environment %q), not %q: render with --namespace %s" .Values.expectedNamespace .Values.environment .Release.Namespace .Values.expectedNamespace) -}}
{{- end -}}
{{- $l := .Values.lifecycle -}}
{{- $budget := add $l.preStopSleepSeconds $l.drainDelaySeconds $l.shutdownTimeoutSeconds -}}
{{- if le (int $l.terminationGracePeriodSeconds) (int $budget) -}}
{{- fail (printf "lifecycle.terminationGracePeriodSeconds (%v) must exceed preStopSleepSeconds + drainDelaySeconds + shutdownTimeoutSeconds (%v + %v + %v = %v): the kubelet would SIGKILL requests still in flight" $l.terminationGracePeriodSeconds $l.preStopSleepSeconds $l.drainDelaySeconds $l.shutdownTimeoutSeconds $budget) -}}
{{- end -}}
{{- $p := .Values.database.password -}}
{{- if and $p.existingSecret $p.externalSecret.enabled -}}
{{- fail "database.password: set existingSecret OR externalSecret.enabled, not both (which one would the pods read?)" -}}
{{- end -}}
{{- if not (or $p.existingSecret $p.externalSecret.enabled) -}}
{{- fail "database.password: name an existing Secret (existingSecret) or enable externalSecret; the chart never creates a Secret from plain values" -}}
{{- end -}}
{{- end }}

{{/*
The image of a track, by digest only: "<repository>@sha256:<64 hex>". A missing digest or a tagged repository
fails the render: a tag can be moved under a running release, a digest cannot.
*/}}
{{- define "orders.image" -}}
{{- $t := index .root.Values .track -}}
{{- $repo := .root.Values.image.repository -}}
{{- if not $t.digest -}}
{{- fail (printf "%s.digest is required: images are deployed by digest only (sha256:<64 hex>), got none for repository %q" .track $repo) -}}
{{- end -}}
{{- if not (regexMatch "^sha256:[a-f0-9]{64}$" $t.digest) -}}
{{- fail (printf "%s.digest %q is not a digest (sha256:<64 hex>): images are deployed by digest only" .track $t.digest) -}}
{{- end -}}
{{- if or (contains "@" $repo) (regexMatch ":[^/]*$" (regexReplaceAll "^[^/]*/" $repo "")) -}}
{{- fail (printf "image.repository %q must not carry a tag or digest: the digest comes from %s.digest" $repo .track) -}}
{{- end -}}
{{- printf "%s@%s" $repo $t.digest -}}
{{- end }}

{{/* Environment of every app container (the migration Job too): the same settings as the single host's. */}}
{{- define "orders.env" -}}
- name: ORDERS_DB_HOST
  value: {{ .Values.database.host | quote }}
- name: ORDERS_DB_PORT
  value: {{ .Values.database.port | quote }}
- name: ORDERS_DB_NAME
  value: {{ .Values.database.name | quote }}
- name: ORDERS_DB_USER
  value: {{ .Values.database.user | quote }}
- name: ORDERS_DB_PASSWORD_FILE
  value: /run/secrets/db/{{ .Values.database.password.key }}
- name: ORDERS_DB_MAX_POOL_SIZE
  value: {{ .Values.database.maxPoolSize | quote }}
- name: ORDERS_INSTANCE_ID
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
{{- end }}

{{/* Restricted Pod Security Standard: uid 1654 is the image's `app` user. */}}
{{- define "orders.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1654
runAsGroup: 1654
fsGroup: 1654
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "orders.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
runAsUser: 1654
runAsGroup: 1654
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "orders.secretVolume" -}}
- name: db-password
  secret:
    secretName: {{ include "orders.dbSecretName" . }}
    defaultMode: 288 # 0440: readable by group 1654 (fsGroup), nobody else
    items:
      - key: {{ .Values.database.password.key }}
        path: {{ .Values.database.password.key }}
{{- end }}
