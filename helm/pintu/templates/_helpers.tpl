{{- define "pintu.fullname" -}}{{ printf "%s" .Release.Name | trunc 50 | trimSuffix "-" }}{{- end -}}

{{- define "pintu.labels" -}}
app.kubernetes.io/name: pintu
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Values.image.tag | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "pintu.selector" -}}
app.kubernetes.io/name: pintu
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "pintu.secretName" -}}{{ .Values.existingSecret | default (printf "%s-env" (include "pintu.fullname" .)) }}{{- end -}}

{{- define "pintu.image" -}}{{ printf "%s:%s" .Values.image.repository .Values.image.tag }}{{- end -}}

{{/* Pod-level hardening shared by every workload. */}}
{{- define "pintu.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "pintu.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
{{- end -}}

{{/* Environment: ConfigMap + Secret, plus what the chart derives. */}}
{{- define "pintu.envFrom" -}}
- configMapRef:
    name: {{ include "pintu.fullname" . }}-env
- secretRef:
    name: {{ include "pintu.secretName" . }}
{{- end -}}

{{- define "pintu.volumes" -}}
- name: tmp
  emptyDir: {}
{{- end -}}

{{- define "pintu.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- end -}}

{{- define "pintu.podExtras" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
