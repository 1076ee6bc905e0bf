{{/* Chart name, overridable. */}}
{{- define "holysheep.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Resource name prefix: the release name when it already contains the chart name. */}}
{{- define "holysheep.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "holysheep.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels: stable across upgrades. */}}
{{- define "holysheep.selectorLabels" -}}
app.kubernetes.io/name: {{ include "holysheep.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: webhook
{{- end -}}

{{- define "holysheep.labels" -}}
helm.sh/chart: {{ include "holysheep.chart" . }}
app.kubernetes.io/name: {{ include "holysheep.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: holysheep
{{- end -}}

{{/*
Label on the injector's own pods. Both webhook entries exclude pods carrying it (objectSelector
DoesNotExist), so an injector is never injected and never depends on itself.
*/}}
{{- define "holysheep.injectorPodLabelKey" -}}holysheep.ai/injector{{- end -}}

{{- define "holysheep.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "holysheep.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "holysheep.tlsSecretName" -}}
{{- if eq .Values.certs.mode "files" -}}
{{- required "certs.existingSecret is required when certs.mode is files" .Values.certs.existingSecret -}}
{{- else -}}
{{- printf "%s-tls" (include "holysheep.fullname" .) -}}
{{- end -}}
{{- end -}}

{{- define "holysheep.configMapName" -}}
{{- printf "%s-config" (include "holysheep.fullname" .) -}}
{{- end -}}

{{/* image reference: repository@digest, else repository:tag (tag defaults to appVersion). */}}
{{- define "holysheep.imageRef" -}}
{{- if .image.digest -}}
{{- printf "%s@%s" .image.repository .image.digest -}}
{{- else -}}
{{- printf "%s:%s" .image.repository (default .appVersion .image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "holysheep.webhookImage" -}}
{{- include "holysheep.imageRef" (dict "image" .Values.image "appVersion" .Chart.AppVersion) -}}
{{- end -}}

{{- define "holysheep.sidecarImage" -}}
{{- include "holysheep.imageRef" (dict "image" .Values.sidecar.image "appVersion" .Chart.AppVersion) -}}
{{- end -}}

{{/* Namespaces neither webhook entry ever serves. */}}
{{- define "holysheep.excludedNamespaces" -}}
{{- $ns := list "kube-system" "kube-public" "kube-node-lease" .Release.Namespace -}}
{{- range .Values.webhook.excludedNamespaces -}}
{{- $ns = append $ns . -}}
{{- end -}}
{{- toJson (uniq $ns) -}}
{{- end -}}

{{/* The injector's own name as the server knows it (Service, webhook configuration). */}}
{{- define "holysheep.webhookConfigName" -}}
{{- include "holysheep.fullname" . -}}
{{- end -}}

{{- define "holysheep.minReplicas" -}}
{{- if .Values.autoscaling.enabled -}}{{ .Values.autoscaling.minReplicas }}{{- else -}}{{ .Values.replicaCount }}{{- end -}}
{{- end -}}

{{/* CRD schema of a {name, key} Secret reference. */}}
{{- define "holysheep.crd.secretKeyRef" -}}
type: object
{{- if .nullable }}
nullable: true
{{- end }}
description: {{ .description | quote }}
required: ["name", "key"]
properties:
  name:
    type: string
    minLength: 1
    maxLength: 253
    pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$'
    description: "Secret name."
  key:
    type: string
    minLength: 1
    maxLength: 253
    pattern: '^[-._a-zA-Z0-9]+$'
    description: "Key inside the Secret."
{{- end -}}

{{/* CRD schema of a byte size: integer bytes or a string with a Ki/Mi/Gi suffix. */}}
{{- define "holysheep.crd.size" -}}
x-kubernetes-int-or-string: true
anyOf:
  - type: integer
  - type: string
pattern: '^[0-9]+(Ki|Mi|Gi)?$'
description: {{ . | quote }}
{{- end -}}
