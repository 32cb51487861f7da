{{/* Names and labels, as `helm create` lays them out. */}}
{{- define "tollgate.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "tollgate.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "tollgate.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "tollgate.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "tollgate.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tollgate.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: server
{{- end }}

{{- define "tollgate.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "tollgate.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "tollgate.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}{{ default (include "tollgate.fullname" .) .Values.serviceAccount.name }}{{ else }}{{ default "default" .Values.serviceAccount.name }}{{ end }}
{{- end }}

{{- define "tollgate.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/* The Secret the pods read: the operator's (existingSecret) or the chart's. */}}
{{- define "tollgate.secretName" -}}
{{- .Values.secret.existingSecret | default (printf "%s-secrets" (include "tollgate.fullname" .)) }}
{{- end }}

{{/* The in-chart Redis's passwords of its replication and Sentinel users (acl.enabled). */}}
{{- define "tollgate.redisAclSecretName" -}}
{{- .Values.redisSentinel.acl.existingSecret | default (printf "%s-redis-acl" (include "tollgate.fullname" .)) }}
{{- end }}

{{/* In-chart Sentinel addresses: one per Sentinel pod, by its stable DNS name. */}}
{{- define "tollgate.inChartSentinels" -}}
{{- $full := include "tollgate.fullname" . }}
{{- $list := list }}
{{- range $i := until (int .Values.redisSentinel.sentinels) }}
{{- $list = append $list (printf "%s-sentinel-%d.%s-sentinel.%s.svc:%d" $full $i $full $.Release.Namespace (int $.Values.redis.sentinelPort)) }}
{{- end }}
{{- join "," $list }}
{{- end }}

{{/*
The non-secret environment (docs/configuration.md), shared by the ConfigMap and the hook's
copy of it, so the hook Job checks the very Redis the pods will use.
*/}}
{{- define "tollgate.configData" -}}
{{- $env := dict "NODE_ENV" "production" "HOST" "0.0.0.0" "PORT" (toString .Values.ports.http) "MANAGEMENT_PORT" (toString .Values.ports.management) -}}
{{- if .Values.redisSentinel.enabled }}
{{- $_ := set $env "REDIS_MODE" "sentinel" }}
{{- $_ := set $env "REDIS_SENTINELS" (include "tollgate.inChartSentinels" .) }}
{{- $_ := set $env "REDIS_MASTER_NAME" .Values.redis.masterName }}
{{- else if eq .Values.redis.mode "sentinel" }}
{{- $_ := set $env "REDIS_MODE" "sentinel" }}
{{- $_ := set $env "REDIS_SENTINELS" (required "redis.sentinels is required with redis.mode=sentinel" (join "," .Values.redis.sentinels)) }}
{{- $_ := set $env "REDIS_MASTER_NAME" .Values.redis.masterName }}
{{- else }}
{{- $_ := set $env "REDIS_MODE" "standalone" }}
{{- $_ := set $env "REDIS_URL" (required "redis.url is required with redis.mode=standalone" .Values.redis.url) }}
{{- end }}
{{- if .Values.redis.tls.enabled }}
{{- $_ := set $env "REDIS_TLS" "true" }}
{{- if .Values.redis.tls.caSecret }}
{{- $_ := set $env "REDIS_TLS_CA_FILE" "/etc/tollgate/redis-ca/ca.crt" }}
{{- end }}
{{- end }}
{{- $_ := set $env "REDIS_WRITE_REPLICAS" (toString .Values.redis.writeReplicas) }}
{{- $_ := set $env "REDIS_WRITE_TIMEOUT_MS" (toString .Values.redis.writeTimeoutMs) }}
{{- range $k, $v := .Values.config }}
{{- $_ := set $env $k (toString $v) }}
{{- end }}
{{- toYaml $env }}
{{- end }}

{{/* Secret values given in values (never when existingSecret is set). */}}
{{- define "tollgate.secretData" -}}
{{- $s := .Values.secret -}}
ADMIN_TOKEN: {{ required "secret.adminToken (>= 32 characters) is required unless secret.existingSecret is set" $s.adminToken | b64enc | quote }}
{{- range $key, $name := dict "redisUsername" "REDIS_USERNAME" "redisPassword" "REDIS_PASSWORD" "jobsUsername" "REDIS_JOBS_USERNAME" "jobsPassword" "REDIS_JOBS_PASSWORD" "sentinelUsername" "REDIS_SENTINEL_USERNAME" "sentinelPassword" "REDIS_SENTINEL_PASSWORD" }}
{{- with index $s $key }}
{{ $name }}: {{ . | b64enc | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/* The clients the hook Job applies: bootstrap.clients plus the helm test client. */}}
{{- define "tollgate.bootstrapFile" -}}
{{- $clients := .Values.bootstrap.clients | default list }}
{{- if .Values.tests.enabled }}
{{- $clients = append $clients (dict "client_id" .Values.tests.clientId "client_secret" (required "tests.clientSecret (43 base64url characters) is required when tests.enabled" .Values.tests.clientSecret) "name" "helm test" "type" "confidential" "grant_types" (list "client_credentials") "scopes" list) }}
{{- end }}
{{- toJson (dict "clients" $clients) }}
{{- end }}

{{/* Pod Security "restricted", shared by every container of the chart. */}}
{{- define "tollgate.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "tollgate.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .runAsUser }}
runAsGroup: {{ .runAsUser }}
{{- with .fsGroup }}
fsGroup: {{ . }}
{{- end }}
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* The Redis CA volume (production: TLS to Redis). */}}
{{- define "tollgate.caVolume" -}}
{{- if and .Values.redis.tls.enabled .Values.redis.tls.caSecret }}
- name: redis-ca
  secret:
    secretName: {{ .Values.redis.tls.caSecret }}
    items:
      - key: ca.crt
        path: ca.crt
{{- end }}
{{- end }}

{{- define "tollgate.caMount" -}}
{{- if and .Values.redis.tls.enabled .Values.redis.tls.caSecret }}
- name: redis-ca
  mountPath: /etc/tollgate/redis-ca
  readOnly: true
{{- end }}
{{- end }}
