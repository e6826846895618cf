import { SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';

export const IS_PUBLIC = 'isPublic';

/** Opens a route to unauthenticated callers; every other route requires a bearer token. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

type Handler = ReturnType<ExecutionContext['getHandler']>;
type ControllerClass = ReturnType<ExecutionContext['getClass']>;

/** Whether a route is @Public(), looked up once per route: metadata does not change once the app runs. */
export class PublicRoutes {
  private readonly known = new WeakMap<ControllerClass, WeakMap<Handler, boolean>>();

  constructor(private readonly reflector: Reflector) {}

  isPublic(context: ExecutionContext): boolean {
    const controller = context.getClass();
    const handler = context.getHandler();
    let byHandler = this.known.get(controller);
    if (!byHandler) this.known.set(controller, (byHandler = new WeakMap()));
    let open = byHandler.get(handler);
    if (open === undefined) {
      open = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler, controller]) === true;
      byHandler.set(handler, open);
    }
    return open;
  }
}
