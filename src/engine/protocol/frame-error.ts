/** Bad bytes on a connection: that peer's connection must be closed (the server keeps running). */
export class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameError';
  }
}
