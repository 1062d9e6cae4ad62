#!/usr/bin/env node
// `nx run k8s-manifests:deploy-minikube|deploy-local`: the deploy command on this workspace (src/cli/deploy-command.ts).
import { workspaceRoot } from '@llmops-rag/platform';
import { deployCommand } from '../cli/deploy-command.js';

deployCommand(workspaceRoot());
