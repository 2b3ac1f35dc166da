// Types of the vpnse package (index.js) for TypeScript and Electron apps.
import { EventEmitter } from 'node:events';

export type VpnseState = 'disconnected' | 'connecting' | 'authenticating' | 'configuring' | 'established' | 'reconnecting';
export type VpnseLogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export declare class VpnseError extends Error {
  /** vpnse.h VPNSE_E_* number. */
  code: number;
  /** Its stable name, e.g. 'auth_failed'. */
  errorName: string;
}

export interface VpnseRoute { destination: string; prefixLength: number; gateway: string | null; }
export interface VpnseNetwork {
  address: string; prefixLength: number; gateway: string | null; dns: string[]; domain: string;
  mtu: number; leaseSeconds: number; routes: VpnseRoute[];
}
export interface VpnseStats {
  bytesIn: number; bytesOut: number; packetsIn: number; packetsOut: number; dropped: number;
  connections: number; reconnects: number; uptimeSeconds: number;
}
export interface VpnseOptions {
  name?: string;
  hostName?: string;
  logLevel?: VpnseLogLevel;
  /** 0 or absent: no 'stats' events. */
  statsIntervalMs?: number;
  /** Path of libvpnse.so; default $VPNSE_LIBRARY, then libvpnse.so.1. */
  library?: string;
  /** Keep the socket outside the tunnel; false aborts that connection (permission_denied). */
  protect?: (fd: number) => boolean;
}

export declare class VpnseClient extends EventEmitter {
  static create(profileToml: string, options?: VpnseOptions): Promise<VpnseClient>;
  connect(): void;
  disconnect(): void;
  readonly state: VpnseState;
  waitForState(state: VpnseState, timeoutMs?: number): Promise<{ state: VpnseState; error: VpnseError | null }>;
  stats(): Promise<VpnseStats>;
  sendPacket(packet: Uint8Array): void;
  attachTunFd(fd: number): Promise<void>;
  detachTunFd(): Promise<void>;
  close(): Promise<void>;

  on(event: 'state', listener: (event: { state: VpnseState; error: VpnseError | null }) => void): this;
  on(event: 'network', listener: (network: VpnseNetwork) => void): this;
  on(event: 'stats', listener: (stats: VpnseStats) => void): this;
  on(event: 'log', listener: (line: { level: VpnseLogLevel; component: string; message: string }) => void): this;
  on(event: 'packet', listener: (packet: Buffer) => void): this;
  on(event: 'protect', listener: (fd: number) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
}

export declare const STATES: VpnseState[];
export declare function version(library?: string): string;
