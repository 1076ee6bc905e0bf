{{/* Name of the gateway's Deployment, Service, ServiceAccount, ConfigMap: "<fullname>-gateway". */}}
{{- define "holysheep.gateway.fullname" -}}
{{- if .Values.gateway.fullnameOverride -}}
{{- .Values.gateway.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-gateway" (include "holysheep.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Selector labels of the gateway pods (component gateway: never selected by the webhook's Service). */}}
{{- define "holysheep.gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "holysheep.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: gateway
{{- end -}}

{{- define "holysheep.gateway.labels" -}}
{{ include "holysheep.labels" . }}
app.kubernetes.io/component: gateway
{{- end -}}

{{/* The gateway's serving certificate Secret: "<gateway>-tls", or the user's in files mode. */}}
{{- define "holysheep.gateway.tlsSecretName" -}}
{{- if eq .Values.certs.mode "files" -}}
{{- required "gateway.certs.existingSecret is required when certs.mode is files and gateway.enabled is true (a Secret with tls.crt, tls.key and ca.crt for the gateway Service)" .Values.gateway.certs.existingSecret -}}
{{- else -}}
{{- printf "%s-tls" (include "holysheep.gateway.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/*
The gateway's HolySheepConfig spec: the chart-wide config with gateway.config merged over it (RFC
7386-like: maps merge, lists and scalars replace). A key file replaces the Secret, as in configmap.yaml.
*/}}
{{- define "holysheep.gateway.config" -}}
{{- $config := omit (mergeOverwrite (deepCopy .Values.config) (deepCopy .Values.gateway.config)) "clusterConfigName" -}}
{{- if $config.apiKeyFile -}}
{{- $_ := unset $config "apiKeySecretRef" -}}
{{- end -}}
{{- toYaml $config -}}
{{- end -}}

{{/* The URL injected sidecars call. */}}
{{- define "holysheep.gateway.url" -}}
{{- printf "https://%s.%s.svc:%v/v1" (include "holysheep.gateway.fullname" .) .Release.Namespace .Values.gateway.service.port -}}
{{- end -}}

{{/* Where the webhook reads the gateway's CA in certManager and files modes. */}}
{{- define "holysheep.gateway.caDir" -}}/etc/holysheep/gateway-ca{{- end -}}

{{/* The Service DNS names the gateway's certificate must carry. */}}
{{- define "holysheep.gateway.dnsNames" -}}
{{- $name := include "holysheep.gateway.fullname" . -}}
{{- $ns := .Release.Namespace -}}
{{- toJson (list $name (printf "%s.%s" $name $ns) (printf "%s.%s.svc" $name $ns) (printf "%s.%s.svc.cluster.local" $name $ns)) -}}
{{- end -}}

{{- define "holysheep.gateway.serviceAccountName" -}}
{{- if .Values.gateway.serviceAccount.create -}}
{{- default (include "holysheep.gateway.fullname" .) .Values.gateway.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.gateway.serviceAccount.name -}}
{{- end -}}
{{- end -}}
